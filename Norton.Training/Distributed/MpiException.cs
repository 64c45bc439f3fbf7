namespace Norton.Training.Distributed;

/// <summary>An MPI call returned an error code (only possible when the communicator's error handler returns errors;
/// MPI's default handler aborts the job instead).</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="function">The MPI function that failed.</param>
    /// <param name="errorCode">Its return code.</param>
    /// <param name="detail">MPI's description of the code.</param>
    public MpiException(string function, int errorCode, string detail)
        : base($"{function} failed with MPI error {errorCode}: {detail}")
    {
        Function = function;
        ErrorCode = errorCode;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public MpiException(string message) : base(message) => Function = "";

    /// <summary>Creates the exception with a message and an inner cause.</summary>
    public MpiException(string message, Exception inner) : base(message, inner) => Function = "";

    /// <summary>Creates the exception with a generic message.</summary>
    public MpiException() : base("An MPI call failed.") => Function = "";

    /// <summary>The MPI function that failed (empty when not from a call).</summary>
    public string Function { get; }

    /// <summary>The MPI return code (0 when not from a call).</summary>
    public int ErrorCode { get; }
}
