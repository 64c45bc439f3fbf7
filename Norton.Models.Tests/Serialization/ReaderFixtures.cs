namespace Norton.Models.Tests.Serialization;

/// <summary>
/// The files of testdata/readers (made by tools/fixtures/make_reader_fixtures.py) and the formulas they follow.
/// </summary>
internal static class ReaderFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Norton.sln")))
                return System.IO.Path.Combine(dir.FullName, "testdata", "readers");
        throw new DirectoryNotFoundException($"no Norton.sln above {AppContext.BaseDirectory}: cannot find testdata/readers.");
    });

    public static string Path(string name) => System.IO.Path.Combine(Folder.Value, name);

    /// <summary>The script's crc32(key) (zlib's CRC-32).</summary>
    public static uint Crc(string key) => BitwiseCrc32(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>CRC-32 bit by bit (the definition, independent of the library's table-driven one).</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        return ~c;
    }

    /// <summary>w(key)[i] = (((i * 37 + crc32(key) % 97) % 101) - 50) / 64.</summary>
    public static float[] Weight(string key, long count)
    {
        long k = Crc(key) % 97;
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = ((i * 37 + k) % 101 - 50) / 64f;
        return values;
    }
}
