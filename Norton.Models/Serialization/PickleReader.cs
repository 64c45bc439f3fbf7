using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// Reads Python pickles (protocols 0-5) without running any code: a restricted unpickler that rebuilds an allow-list
/// of globals into .NET values and keeps every other class or call as an inert <see cref="PickleObject"/>.
/// </summary>
/// <remarks>
/// <para>Values: dict and <c>OrderedDict</c> → <see cref="Dictionary{TKey,TValue}"/> of <c>object</c> keys (compared
/// by <see cref="PickleKeyComparer"/>), list → <see cref="List{T}"/>, tuple → <c>object?[]</c>, set/frozenset →
/// <see cref="HashSet{T}"/>, str → string, bytes/bytearray → byte[], int → long (or <see cref="System.Numerics.BigInteger"/>
/// beyond 64 bits), float → double, bool, None → null, complex → <see cref="System.Numerics.Complex"/>; numpy arrays →
/// <see cref="NumpyArray"/>, numpy dtypes → <see cref="NumpyDType"/>, numpy scalars → long/double/bool. Tensors appear
/// only in <c>torch.save</c> files (<see cref="TorchCheckpointFile"/>).</para>
/// <para>Safety: no global is imported or called; sizes are checked against the bytes left before allocating; memo,
/// stack and nesting are limited by <see cref="PickleReaderOptions"/>; cycles are refused. Every failure is a
/// <see cref="SerializedDataException"/>.</para>
/// </remarks>
public static class PickleReader
{
    /// <summary>Reads one pickle from <paramref name="stream"/> (from its current position to the STOP opcode).</summary>
    /// <param name="stream">The pickle; a stream that cannot seek is first copied into memory.</param>
    /// <param name="options">Limits and strictness; <see cref="PickleReaderOptions.Default"/> when null.</param>
    /// <param name="sourceName">The file name for messages.</param>
    /// <exception cref="SerializedDataException">Not a pickle, truncated, over a limit, or (strict) a global off the allow-list.</exception>
    public static object? Read(Stream stream, PickleReaderOptions? options = null, string sourceName = "pickle")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        var created = new List<Tensor>();
        return Run(new PickleInput(stream, sourceName), options, null, created);
    }

    /// <summary>Reads a pickle file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="SerializedDataException">See <see cref="Read(Stream, PickleReaderOptions?, string)"/>.</exception>
    public static object? ReadFile(string path, PickleReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "pickle file");
        using var stream = File.OpenRead(path);
        return Read(stream, options, path);
    }

    /// <summary>Runs the machine; any failure disposes the tensors made so far and becomes a <see cref="SerializedDataException"/>.</summary>
    internal static object? Run(PickleInput input, PickleReaderOptions? options, Func<object?, object?>? persistentLoad, List<Tensor> created)
    {
        options = (options ?? PickleReaderOptions.Default).Validated();
        try
        {
            return new PickleMachine(input, options, persistentLoad, created).Run();
        }
        catch (Exception e) when (e is not SerializedDataException and not OutOfMemoryException and not StackOverflowException)
        {
            foreach (var t in created) t.Dispose();
            throw input.Error($"unreadable pickle ({e.GetType().Name}: {e.Message})", e);
        }
        catch
        {
            foreach (var t in created) t.Dispose();
            throw;
        }
    }
}
