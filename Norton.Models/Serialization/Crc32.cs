namespace Norton.Models.Serialization;

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zip records carry it.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    private static uint[] MakeTable()
    {
        var table = new uint[256 * 8];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        // Slicing-by-8 tables: a checkpoint's weights pass through here once.
        for (int t = 1; t < 8; t++)
            for (int i = 0; i < 256; i++)
                table[t * 256 + i] = (table[(t - 1) * 256 + i] >> 8) ^ table[table[(t - 1) * 256 + i] & 0xFF];
        return table;
    }

    /// <summary>Continues a CRC (start with 0) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        var t = Table;
        while (data.Length >= 8)
        {
            c ^= (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            c = t[7 * 256 + (c & 0xFF)] ^ t[6 * 256 + ((c >> 8) & 0xFF)] ^ t[5 * 256 + ((c >> 16) & 0xFF)] ^ t[4 * 256 + (c >> 24)]
              ^ t[3 * 256 + data[4]] ^ t[2 * 256 + data[5]] ^ t[256 + data[6]] ^ t[data[7]];
            data = data[8..];
        }
        foreach (byte b in data) c = t[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
