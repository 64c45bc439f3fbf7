using System.Text;
using static TorchSharp.torch;

namespace Norton.Cli.Tests;

/// <summary>Writes a float32 (T, D) tensor as a .npy file (format 1.0).</summary>
internal static class NpyFloat32
{
    public static void Write(string path, Tensor values)
    {
        long rows = values.shape[0], columns = values.shape[1];
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        header += new string(' ', (64 - (10 + header.Length + 1) % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        float[] data = values.contiguous().data<float>().ToArray();
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        stream.Write(bytes);
    }
}
