using Xunit;
using System.Buffers.Binary;
using System.Text;

namespace Norton.Training.Tests.Extraction;

/// <summary>Reads a 2-d '&lt;f2' .npy file by the NumPy format description (written for the tests, independent of the writer).</summary>
internal static class NpyTestReader
{
    public static (string Header, long Rows, long Columns, float[] Values) ReadFloat16(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);      // the format aligns the data to 64 bytes
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.EndsWith("\n", header);
        Assert.Contains("'descr': '<f2'", header);
        Assert.Contains("'fortran_order': False", header);
        int open = header.IndexOf("'shape': (", StringComparison.Ordinal) + "'shape': (".Length;
        string[] dims = header[open..header.IndexOf(')', open)].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, dims.Length);
        long rows = long.Parse(dims[0]), columns = long.Parse(dims[1]);
        int data = 10 + headerLength;
        Assert.Equal(rows * columns * 2, bytes.Length - data);
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(data + 2 * i));
        return (header, rows, columns, values);
    }
}
