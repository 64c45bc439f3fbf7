namespace Norton.Training.Distributed;

/// <summary>
/// The process was started by an MPI launcher (<c>mpirun</c>, <c>srun</c>) but no MPI library could be loaded. The
/// message lists the files tried and the packages that provide one.
/// </summary>
public sealed class MpiLibraryNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was tried and what to install.</param>
    public MpiLibraryNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public MpiLibraryNotFoundException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public MpiLibraryNotFoundException() : base("No MPI library could be loaded.") { }
}
