using System.Text;

namespace Norton.Evaluation.Tests;

/// <summary>Writes float32 (T, D) .npy files (format 1.0) for test datasets.</summary>
internal static class NpyWriter
{
    public static void Write(string path, float[,] values)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        var bytes = new byte[rows * columns * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        stream.Write(bytes);
    }
}
