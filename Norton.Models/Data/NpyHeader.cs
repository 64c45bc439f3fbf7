using Norton.Models.Serialization;

namespace Norton.Models.Data;

/// <summary>
/// The header of a numpy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): element type, shape and where the
/// C-ordered data starts.
/// </summary>
/// <param name="ElementType">Type of every element.</param>
/// <param name="Shape">Array shape; empty for a 0-d (scalar) array.</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
/// <param name="MajorVersion">Format major version (1, 2 or 3).</param>
public sealed record NpyHeader(NpyElementType ElementType, IReadOnlyList<long> Shape, long DataOffset, int MajorVersion)
{
    /// <summary>Number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Bytes of data the header announces.</summary>
    public long DataLength => checked(ElementCount * ElementType.Size());

    /// <summary>Reads and checks a header from the start of <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream positioned at the start of the file.</param>
    /// <param name="fileName">The file's name, for error messages.</param>
    /// <exception cref="InvalidDataException">
    /// Not a .npy file, an unsupported version, dtype or Fortran order, or a malformed header; the message names the
    /// file, what was expected and what was found.
    /// </exception>
    public static NpyHeader Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyFormat.RawHeader raw;
        try
        {
            raw = NpyFormat.ReadHeader(stream, fileName);
        }
        catch (SerializedDataException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        NpyElementType type = NpyElementTypes.Parse(raw.Descr) ?? throw new InvalidDataException(
            $"{fileName}: dtype '{raw.Descr}' is not supported; expected little-endian <f2, <f4, <f8, <i2, <i4, <i8, |i1, |u1 or |b1.");
        if (raw.FortranOrder)
            throw new InvalidDataException($"{fileName}: Fortran-ordered arrays are not supported; expected C order (fortran_order False).");
        return new NpyHeader(type, raw.Shape, raw.DataOffset, raw.MajorVersion);
    }
}
