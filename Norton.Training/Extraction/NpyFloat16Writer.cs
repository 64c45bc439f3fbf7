using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Norton.Training.Extraction;

/// <summary>
/// Writes a 2-d float16 array as a NumPy <c>.npy</c> file (format 1.0, <c>'&lt;f2'</c>, C order): what the original's
/// <c>np.save(path, features.astype('float16'))</c> writes and our corpus readers read.
/// </summary>
internal static class NpyFloat16Writer
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>
    /// Writes <paramref name="values"/> (row-major, <paramref name="rows"/> x <paramref name="columns"/>) to
    /// <paramref name="path"/> through a temporary file that is renamed at the end, so that a stopped run never
    /// leaves a partial file under the final name.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<Half> values, long rows, long columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != rows * columns)
            throw new ArgumentException($"expected {rows} x {columns} = {rows * columns} values, got {values.Length}", nameof(values));

        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Header(rows, columns));
            var buffer = new byte[Math.Min(values.Length, 1 << 16) * 2];
            for (int start = 0; start < values.Length; start += buffer.Length / 2)
            {
                int count = Math.Min(buffer.Length / 2, values.Length - start);
                for (int i = 0; i < count; i++)
                    BinaryPrimitives.WriteHalfLittleEndian(buffer.AsSpan(2 * i), values[start + i]);
                file.Write(buffer, 0, 2 * count);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Magic, version 1.0, header length and the dictionary, padded with spaces to a multiple of 64 bytes.</summary>
    internal static byte[] Header(long rows, long columns)
    {
        string dictionary = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f2', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        int unpadded = Magic.Length + 2 + dictionary.Length + 1;          // + the closing '\n'
        int padding = (64 - unpadded % 64) % 64;
        string text = dictionary + new string(' ', padding) + "\n";
        var header = new byte[Magic.Length + 2 + text.Length];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(Magic.Length), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + 2));
        return header;
    }
}
