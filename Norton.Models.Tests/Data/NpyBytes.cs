using System.Buffers.Binary;
using System.Text;

namespace Norton.Models.Tests.Data;

/// <summary>Writes .npy files byte by byte, following the format specification (not numpy), for the reader tests.</summary>
internal static class NpyBytes
{
    /// <summary>magic, version, header length, header dict padded with spaces to a 64-byte boundary, '\n', data.</summary>
    public static byte[] File(string descr, string shape, byte[] data, int major = 1, string fortran = "False")
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";
        return Raw(dict, data, major);
    }

    /// <summary>A file with an arbitrary header text.</summary>
    public static byte[] Raw(string dict, byte[] data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)text.Length);
        bytes.AddRange(length);
        bytes.AddRange(text);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Float16(params float[] values) =>
        values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();

    public static byte[] Float32(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Float64(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Int32(params int[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Int64(params long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "norton-data-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, byte[] bytes)
    {
        string file = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(file, bytes);
        return file;
    }

    public string WriteText(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
