using static TorchSharp.torch;

namespace Norton.Models.Data;

/// <summary>Reads numpy <c>.npy</c> files (C order, little-endian, the types of <see cref="NpyElementType"/>).</summary>
public static class NpyFile
{
    /// <summary>Reads only the header of a .npy file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed or unsupported header.</exception>
    public static NpyHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return NpyHeader.Read(stream, path);
    }

    /// <summary>Reads a whole .npy file into a CPU tensor of its own shape and element type.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A new tensor; float16 data stays float16 (convert with <c>.to(float32)</c>).</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed header, or fewer data bytes than the header announces.</exception>
    /// <remarks>Bytes after the announced data are ignored, as numpy's loader does.</remarks>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        NpyHeader header = NpyHeader.Read(stream, path);
        long available = stream.Length - header.DataOffset;
        if (available < header.DataLength)
            throw new InvalidDataException(
                $"{path}: truncated .npy data: shape ({string.Join(", ", header.Shape)}) of {header.ElementType} needs {header.DataLength} bytes after the {header.DataOffset}-byte header, found {Math.Max(available, 0)}.");
        if (header.DataLength > Array.MaxLength)
            throw new InvalidDataException($"{path}: {header.DataLength} bytes of data are too many to read at once; use ShardedTensor's memory mapping.");
        var bytes = new byte[header.DataLength];
        stream.ReadExactly(bytes);
        return FromBytes(bytes, header.ElementType, header.Shape.ToArray());
    }

    /// <summary>A new CPU tensor of <paramref name="shape"/> holding <paramref name="bytes"/> (C order).</summary>
    internal static Tensor FromBytes(byte[] bytes, NpyElementType type, long[] shape)
    {
        var result = empty(shape, type.ToScalarType());
        if (bytes.Length > 0)
            result.bytes = bytes.AsSpan();
        return result;
    }
}
