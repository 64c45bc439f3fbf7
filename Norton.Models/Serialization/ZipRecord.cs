namespace Norton.Models.Serialization;

/// <summary>One record of a zip archive as its central directory describes it.</summary>
/// <param name="Name">The record's name, e.g. <c>archive/data/0</c>.</param>
/// <param name="Method">0 stored, 8 deflated.</param>
/// <param name="CompressedSize">Bytes in the archive.</param>
/// <param name="Size">Bytes once extracted.</param>
/// <param name="Crc">The CRC-32 of the extracted bytes.</param>
/// <param name="HeaderOffset">Where the record's local header starts.</param>
internal sealed record ZipRecord(string Name, int Method, long CompressedSize, long Size, uint Crc, long HeaderOffset);
