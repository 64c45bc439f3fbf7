using System.Buffers.Binary;
using System.Text;

namespace Norton.Evaluation.Data;

/// <summary>
/// Reads <c>youcook_val.pkl</c>: a pickled list of dicts with <c>id</c>, <c>caption</c> and numpy arrays. Only the
/// ids and captions are kept; every other object (numpy arrays and dtypes) becomes an inert placeholder, so no
/// code from the file is looked up or run.
/// </summary>
/// <remarks>The single entry point for this file, so that a general restricted pickle reader can replace the
/// small decoder below without touching the runners.</remarks>
internal static class YouCookSplit
{
    /// <summary>The records in file order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a pickle of a list of dicts with a string <c>id</c> of the form
    /// <c>&lt;video&gt;_&lt;k&gt;</c>; the message names the file.</exception>
    public static IReadOnlyList<YouCookRecord> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"YouCook2 split file {path} not found.", path);
        object? root;
        try
        {
            root = new MiniUnpickler(File.ReadAllBytes(path)).Load();
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidCastException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a readable pickle of a list of records: {e.Message}", e);
        }
        if (root is not List<object?> list)
            throw new InvalidDataException($"{path}: expected a pickled list of records, got {root?.GetType().Name ?? "None"}.");
        var records = new List<YouCookRecord>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not Dictionary<object, object?> dict || !dict.TryGetValue("id", out object? id) || id is not string text)
                throw new InvalidDataException($"{path}: record {i} is not a dict with a string 'id'.");
            int underscore = text.LastIndexOf('_');
            if (underscore <= 0 || !int.TryParse(text.AsSpan(underscore + 1), out _))
                throw new InvalidDataException($"{path}: record {i} has id '{text}'; expected '<video>_<k>'.");
            records.Add(new YouCookRecord(text, dict.GetValueOrDefault("caption") as string));
        }
        return records;
    }

    /// <summary>A placeholder for any global, call or object state in the pickle.</summary>
    private sealed class Opaque
    {
    }

    /// <summary>A stack machine for pickle protocols 2-5 that builds only lists, dicts, tuples, strings, numbers.</summary>
    private sealed class MiniUnpickler(byte[] data)
    {
        private static readonly object Mark = new();
        private readonly List<object?> _stack = new();
        private readonly Dictionary<long, object?> _memo = new();
        private int _pos;

        public object? Load()
        {
            while (true)
            {
                byte op = data[_pos++];
                switch (op)
                {
                    case 0x80: _pos++; break; // PROTO
                    case 0x95: _pos += 8; break; // FRAME
                    case (byte)'.': return Pop(); // STOP
                    case (byte)'(': _stack.Add(Mark); break; // MARK
                    case (byte)']': _stack.Add(new List<object?>()); break; // EMPTY_LIST
                    case (byte)'}': _stack.Add(new Dictionary<object, object?>()); break; // EMPTY_DICT
                    case (byte)')': _stack.Add(Array.Empty<object?>()); break; // EMPTY_TUPLE
                    case (byte)'N': _stack.Add(null); break;
                    case 0x88: _stack.Add(true); break;
                    case 0x89: _stack.Add(false); break;
                    case (byte)'K': _stack.Add((long)data[_pos++]); break; // BININT1
                    case (byte)'M': _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                    case (byte)'J': _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                    case 0x8a: Take(data[_pos++]); _stack.Add(new Opaque()); break; // LONG1 (not needed: opaque)
                    case (byte)'G': _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                    case 0x8c: _stack.Add(Utf8(data[_pos++])); break; // SHORT_BINUNICODE
                    case (byte)'X': _stack.Add(Utf8(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break;
                    case 0x8d: _stack.Add(Utf8(checked((int)BinaryPrimitives.ReadInt64LittleEndian(Take(8))))); break;
                    case (byte)'C': Take(data[_pos++]); _stack.Add(new Opaque()); break; // SHORT_BINBYTES
                    case (byte)'B': Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))); _stack.Add(new Opaque()); break;
                    case 0x8e: Take(checked((int)BinaryPrimitives.ReadInt64LittleEndian(Take(8)))); _stack.Add(new Opaque()); break;
                    case 0x96: Take(checked((int)BinaryPrimitives.ReadInt64LittleEndian(Take(8)))); _stack.Add(new Opaque()); break;
                    case 0x85: _stack.Add(Tuple(1)); break; // TUPLE1
                    case 0x86: _stack.Add(Tuple(2)); break;
                    case 0x87: _stack.Add(Tuple(3)); break;
                    case (byte)'t': _stack.Add(PopMark().ToArray()); break; // TUPLE
                    case (byte)'l': _stack.Add(PopMark()); break; // LIST
                    case (byte)'d': _stack.Add(ToDict(PopMark())); break; // DICT
                    case 0x93: Pop(); Pop(); _stack.Add(new Opaque()); break; // STACK_GLOBAL: never resolved
                    case (byte)'c': Line(); Line(); _stack.Add(new Opaque()); break; // GLOBAL
                    case (byte)'R': Pop(); Pop(); _stack.Add(new Opaque()); break; // REDUCE: never called
                    case 0x81: Pop(); Pop(); _stack.Add(new Opaque()); break; // NEWOBJ
                    case (byte)'b': Pop(); break; // BUILD: state ignored, object stays a placeholder
                    case (byte)'a': { object? v = Pop(); ((List<object?>)Peek()!).Add(v); break; } // APPEND
                    case (byte)'e': { var items = PopMark(); ((List<object?>)Peek()!).AddRange(items); break; } // APPENDS
                    case (byte)'s': { object? v = Pop(); object k = Pop()!; ((Dictionary<object, object?>)Peek()!)[k] = v; break; }
                    case (byte)'u': // SETITEMS
                        {
                            var items = PopMark();
                            var dict = (Dictionary<object, object?>)Peek()!;
                            for (int i = 0; i + 1 < items.Count; i += 2)
                                dict[items[i]!] = items[i + 1];
                            break;
                        }
                    case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                    case (byte)'q': _memo[data[_pos++]] = Peek(); break; // BINPUT
                    case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break;
                    case (byte)'h': _stack.Add(_memo[data[_pos++]]); break; // BINGET
                    case (byte)'j': _stack.Add(_memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))]); break;
                    case (byte)'0': Pop(); break; // POP
                    case (byte)'2': _stack.Add(Peek()); break; // DUP
                    default:
                        throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {_pos - 1}.");
                }
            }
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            var span = new ReadOnlySpan<byte>(data, _pos, n);
            _pos += n;
            return span;
        }

        private string Utf8(int n) => Encoding.UTF8.GetString(Take(n));

        private void Line()
        {
            while (data[_pos++] != (byte)'\n')
            {
            }
        }

        private object? Pop()
        {
            if (_stack.Count == 0) throw new InvalidDataException("pickle stack underflow.");
            object? top = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return top;
        }

        private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException("pickle stack underflow.");

        private object?[] Tuple(int n)
        {
            var items = new object?[n];
            for (int i = n - 1; i >= 0; i--) items[i] = Pop();
            return items;
        }

        private List<object?> PopMark()
        {
            int mark = _stack.LastIndexOf(Mark);
            if (mark < 0) throw new InvalidDataException("pickle MARK missing.");
            var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
            _stack.RemoveRange(mark, _stack.Count - mark);
            return items;
        }

        private static Dictionary<object, object?> ToDict(List<object?> items)
        {
            var dict = new Dictionary<object, object?>();
            for (int i = 0; i + 1 < items.Count; i += 2) dict[items[i]!] = items[i + 1];
            return dict;
        }
    }
}
