using System.Text;

namespace Norton.Models.Tests.VideoClip;

/// <summary>One ONNX graph initializer: name, dims, element type and its little-endian bytes.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int DataType, byte[] RawData)
{
    /// <summary>ONNX TensorProto.DataType FLOAT.</summary>
    public const int Float = 1;

    /// <summary>ONNX TensorProto.DataType INT64.</summary>
    public const int Int64 = 7;
}

/// <summary>
/// A minimal protobuf reader for <c>ModelProto.graph.initializer</c> (TensorProto: dims, data_type, name,
/// raw_data, float_data, int64_data). Everything else in the model is skipped.
/// </summary>
internal static class OnnxInitializers
{
    // Field numbers from onnx.proto3.
    private const int ModelGraph = 7;
    private const int GraphInitializer = 5;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorInt64Data = 7, TensorName = 8, TensorRawData = 9;

    public static List<OnnxTensor> Read(byte[] model)
    {
        var result = new List<OnnxTensor>();
        var top = new Reader(model, 0, model.Length);
        while (top.More)
        {
            var (field, wire) = top.Tag();
            if (field == ModelGraph && wire == 2)
            {
                var (start, end) = top.Delimited();
                var graph = new Reader(model, start, end);
                while (graph.More)
                {
                    var (gField, gWire) = graph.Tag();
                    if (gField == GraphInitializer && gWire == 2)
                    {
                        var (ts, te) = graph.Delimited();
                        result.Add(ReadTensor(model, ts, te));
                    }
                    else graph.Skip(gWire);
                }
            }
            else top.Skip(wire);
        }
        return result;
    }

    private static OnnxTensor ReadTensor(byte[] buffer, int start, int end)
    {
        var r = new Reader(buffer, start, end);
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        byte[]? raw = null;
        var floats = new MemoryStream();
        var longs = new MemoryStream();
        while (r.More)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case TensorDims when wire == 0: dims.Add((long)r.Varint()); break;
                case TensorDims when wire == 2:
                    var (ds, de) = r.Delimited();
                    var packed = new Reader(buffer, ds, de);
                    while (packed.More) dims.Add((long)packed.Varint());
                    break;
                case TensorDataType when wire == 0: dataType = (int)r.Varint(); break;
                case TensorName when wire == 2:
                    var (ns, ne) = r.Delimited();
                    name = Encoding.UTF8.GetString(buffer, ns, ne - ns);
                    break;
                case TensorRawData when wire == 2:
                    var (rs, re) = r.Delimited();
                    raw = buffer.AsSpan(rs, re - rs).ToArray();
                    break;
                case TensorFloatData when wire == 2:
                    var (fs, fe) = r.Delimited();
                    floats.Write(buffer, fs, fe - fs);
                    break;
                case TensorFloatData when wire == 5:
                    floats.Write(buffer, r.Fixed(4), 4);
                    break;
                case TensorInt64Data when wire == 2:
                    var (ls, le) = r.Delimited();
                    var longReader = new Reader(buffer, ls, le);
                    while (longReader.More) longs.Write(BitConverter.GetBytes((long)longReader.Varint()));
                    break;
                case TensorInt64Data when wire == 0:
                    longs.Write(BitConverter.GetBytes((long)r.Varint()));
                    break;
                default: r.Skip(wire); break;
            }
        }
        raw ??= dataType == OnnxTensor.Int64 ? longs.ToArray() : floats.ToArray();
        return new OnnxTensor(name, dims.ToArray(), dataType, raw);
    }

    /// <summary>Protobuf wire-format cursor over buffer[start, end).</summary>
    private sealed class Reader(byte[] buffer, int start, int end)
    {
        private int _pos = start;

        public bool More => _pos < end;

        public (int Field, int Wire) Tag()
        {
            ulong tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= end) throw new InvalidDataException("truncated varint");
                byte b = buffer[_pos++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new InvalidDataException("varint longer than 10 bytes");
        }

        public (int Start, int End) Delimited()
        {
            int length = checked((int)Varint());
            int s = _pos;
            if (length < 0 || s + length > end) throw new InvalidDataException("length-delimited field runs past its message");
            _pos += length;
            return (s, _pos);
        }

        public int Fixed(int size)
        {
            int s = _pos;
            _pos += size;
            if (_pos > end) throw new InvalidDataException("truncated fixed-size field");
            return s;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Fixed(8); break;
                case 2: Delimited(); break;
                case 5: Fixed(4); break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire}");
            }
        }
    }
}
