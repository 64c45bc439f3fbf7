using Norton.Core.Validation;
using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// Reads safetensors files (an 8-byte header length, a JSON header, raw little-endian data): no code, and every offset
/// and size is checked against the file before anything is allocated.
/// </summary>
public static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100 << 20;

    /// <summary>Reads every tensor of <paramref name="path"/>; the caller owns (and disposes) them.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="SerializedDataException">Truncated or malformed file, an unknown dtype, offsets outside the data.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "safetensors file");
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads every tensor of a seekable safetensors stream.</summary>
    /// <exception cref="SerializedDataException">Truncated or malformed file, an unknown dtype, offsets outside the data.</exception>
    public static Dictionary<string, Tensor> Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SerializedDataException Bad(string problem) => new(sourceName, problem);
        long length = stream.Length;
        if (length < 8) throw Bad($"only {length} bytes: truncated safetensors file");
        var prefix = new byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)Math.Min(length - 8, MaxHeaderBytes))
            throw Bad($"the header claims {headerLength} bytes, but the file has {length - 8} after the length field: truncated or not safetensors");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength, dataLength = length - dataStart;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Bad("the header is not a JSON object");
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var e = entry.Value;
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String
                    || !e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array
                    || !e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
                    throw Bad($"tensor '{entry.Name}': expected {{\"dtype\", \"shape\", \"data_offsets\": [begin, end]}}");
                var (type, size) = dt.GetString() switch
                {
                    "BOOL" => (ScalarType.Bool, 1), "U8" => (ScalarType.Byte, 1), "I8" => (ScalarType.Int8, 1),
                    "I16" => (ScalarType.Int16, 2), "F16" => (ScalarType.Float16, 2), "BF16" => (ScalarType.BFloat16, 2),
                    "I32" => (ScalarType.Int32, 4), "F32" => (ScalarType.Float32, 4),
                    "I64" => (ScalarType.Int64, 8), "F64" => (ScalarType.Float64, 8),
                    var other => throw Bad($"tensor '{entry.Name}': dtype '{other}' is not supported"),
                };
                var shape = sh.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) && v >= 0 ? v : throw Bad($"tensor '{entry.Name}': shape entries must be non-negative integers")).ToArray();
                long begin = off[0].TryGetInt64(out long b) ? b : -1, end = off[1].TryGetInt64(out long x) ? x : -1;
                if (begin < 0 || end < begin || end > dataLength)
                    throw Bad($"tensor '{entry.Name}': data offsets [{begin}, {end}] lie outside the {dataLength} data bytes (truncated file?)");
                long count = Serialization.NumpyArray.CountOf(shape) ?? throw Bad($"tensor '{entry.Name}': the shape overflows");
                if (count > (end - begin) / size || count * size != end - begin)
                    throw Bad($"tensor '{entry.Name}': shape ({string.Join(", ", shape)}) of {type} needs {count} × {size} bytes, the offsets give {end - begin}");
                var flat = empty(count, type);
                result[entry.Name] = flat;
                stream.Position = dataStart + begin;
                ZipStore.ReadTensorBytes(stream, flat, size, sourceName, $"tensor '{entry.Name}'");
                result[entry.Name] = flat.reshape(shape);
                flat.Dispose();
            }
        }
        catch (Exception e) when (e is not SerializedDataException and not OutOfMemoryException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw Bad($"malformed safetensors header ({e.GetType().Name}: {e.Message})");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }
}
