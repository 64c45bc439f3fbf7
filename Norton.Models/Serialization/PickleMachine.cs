using System.Numerics;
using System.Text;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// The pickle virtual machine (protocols 0-5) without an interpreter: opcodes build .NET values, globals are only
/// names, and calls go to <see cref="PickleGlobals"/>, which rebuilds an allow-list and keeps the rest as inert
/// placeholders.
/// </summary>
internal sealed class PickleMachine
{
    private readonly PickleInput _in;
    private readonly PickleReaderOptions _options;
    private readonly Func<object?, object?>? _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private readonly Dictionary<object?[], int> _tupleDepth = new(ReferenceEqualityComparer.Instance);

    public PickleMachine(PickleInput input, PickleReaderOptions options, Func<object?, object?>? persistentLoad, List<Tensor> created)
    {
        _in = input;
        _options = options;
        _persistentLoad = persistentLoad;
        Globals = new PickleGlobals(input, options, created);
    }

    public PickleGlobals Globals { get; }

    /// <summary>Runs the pickle to its STOP opcode and returns the value it built.</summary>
    public object? Run()
    {
        while (true)
        {
            byte op = _in.ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    byte proto = _in.ReadByte();
                    if (proto > 5) throw _in.Error($"pickle protocol {proto} is not supported (0-5)");
                    break;
                case 0x95: _in.ReadInt64(); break; // FRAME: a hint only
                case (byte)'.': // STOP
                    object? result = Pop();
                    return PickleResultCheck.Finish(result, _options, _in);
                case (byte)'(': // MARK
                    if (_marks.Count >= _options.MaxDepth) throw _in.Error($"more than {_options.MaxDepth} nested marks");
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'I': Push(PickleText.Int(_in.ReadLine(), _in)); break;
                case (byte)'J': Push((long)_in.ReadInt32()); break;
                case (byte)'K': Push((long)_in.ReadByte()); break;
                case (byte)'M': Push((long)_in.ReadUInt16()); break;
                case (byte)'L': Push(PickleText.Long(_in.ReadLine(), _in)); break;
                case 0x8a: Push(LongBytes(_in.ReadByte())); break; // LONG1
                case 0x8b: Push(LongBytes(_in.ReadInt32())); break; // LONG4
                case (byte)'F': Push(PickleText.Float(_in.ReadLine(), _in)); break;
                case (byte)'G': Push(BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(_in.ReadBytes(8, "BINFLOAT")))); break;
                case (byte)'S': Push(PickleText.QuotedString(_in.ReadLine(), _in)); break;
                case (byte)'T': Push(Latin1(_in.ReadBytes(_in.ReadInt32(), "BINSTRING"))); break;
                case (byte)'U': Push(Latin1(_in.ReadBytes(_in.ReadByte(), "SHORT_BINSTRING"))); break;
                case (byte)'V': Push(PickleText.RawUnicodeEscape(_in.ReadLine(), _in)); break;
                case (byte)'X': Push(Utf8(_in.ReadBytes(_in.ReadUInt32(), "BINUNICODE"))); break;
                case 0x8c: Push(Utf8(_in.ReadBytes(_in.ReadByte(), "SHORT_BINUNICODE"))); break;
                case 0x8d: Push(Utf8(_in.ReadBytes(_in.ReadInt64(), "BINUNICODE8"))); break;
                case (byte)'B': Push(_in.ReadBytes(_in.ReadUInt32(), "BINBYTES")); break;
                case (byte)'C': Push(_in.ReadBytes(_in.ReadByte(), "SHORT_BINBYTES")); break;
                case 0x8e: Push(_in.ReadBytes(_in.ReadInt64(), "BINBYTES8")); break;
                case 0x96: Push(_in.ReadBytes(_in.ReadInt64(), "BYTEARRAY8")); break;
                case 0x97: throw _in.Error("NEXT_BUFFER: out-of-band buffers are not supported");
                case 0x98: break; // READONLY_BUFFER
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(PopMark().ToList()); break; // LIST
                case (byte)')': Push(Tuple([])); break;
                case (byte)'t': Push(Tuple(PopMark())); break;
                case 0x85: Push(Tuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(Tuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(Tuple([a, b, c])); break; }
                case (byte)'}': Push(NewDict()); break;
                case (byte)'d': { var dict = NewDict(); SetItems(dict, PopMark()); Push(dict); break; } // DICT
                case 0x8f: Push(new HashSet<object>(PickleKeyComparer.Instance)); break; // EMPTY_SET
                case 0x91: { var set = new HashSet<object>(PickleKeyComparer.Instance); AddItems(set, PopMark()); Push(set); break; } // FROZENSET
                case (byte)'a': { var item = Pop(); Append(Peek(), [item]); break; }
                case (byte)'e': { var items = PopMark(); Append(Peek(), items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(Peek(), [k, v]); break; }
                case (byte)'u': { var items = PopMark(); SetItems(Peek(), items); break; }
                case 0x90: { var items = PopMark(); AddItems(Peek(), items); break; } // ADDITEMS
                case (byte)'p': Memo(long.TryParse(Encoding.ASCII.GetString(_in.ReadLine()), out long p) ? p : throw _in.Error("PUT expects a decimal index")); break;
                case (byte)'q': Memo(_in.ReadByte()); break;
                case (byte)'r': Memo(_in.ReadUInt32()); break;
                case 0x94: Memo(_memo.Count); break; // MEMOIZE
                case (byte)'g': Push(Recall(long.TryParse(Encoding.ASCII.GetString(_in.ReadLine()), out long g) ? g : throw _in.Error("GET expects a decimal index"))); break;
                case (byte)'h': Push(Recall(_in.ReadByte())); break;
                case (byte)'j': Push(Recall(_in.ReadUInt32())); break;
                case (byte)'c': Push(Globals.Resolve(Utf8(_in.ReadLine()), Utf8(_in.ReadLine()))); break; // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Globals.Resolve(AsName(module), AsName(name))); break; } // STACK_GLOBAL
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Globals.Call(callable, AsArguments(args, "REDUCE"))); break; }
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Globals.New(cls, AsArguments(args, "NEWOBJ"))); break; } // NEWOBJ
                case 0x92: { Pop(); var args = Pop(); var cls = Pop(); Push(Globals.New(cls, AsArguments(args, "NEWOBJ_EX"))); break; } // NEWOBJ_EX (kwargs dropped)
                case (byte)'i': { var cls = Globals.Resolve(Utf8(_in.ReadLine()), Utf8(_in.ReadLine())); Push(Globals.New(cls, PopMark())); break; } // INST
                case (byte)'o': { var items = PopMark(); if (items.Length == 0) throw _in.Error("OBJ without a class"); Push(Globals.New(items[0], items[1..])); break; }
                case (byte)'b': { var state = Pop(); Globals.Build(Peek(), state); break; } // BUILD
                case (byte)'P': Push(Persistent(Utf8(_in.ReadLine()))); break; // PERSID
                case (byte)'Q': Push(Persistent(Pop())); break; // BINPERSID
                case 0x82 or 0x83 or 0x84: throw _in.Error("EXT opcodes (the copyreg extension registry) are not supported");
                default: throw _in.Error($"unknown pickle opcode 0x{op:x2}");
            }
        }
    }

    private object? Persistent(object? id) =>
        _persistentLoad is null ? throw _in.Error("a persistent id outside a torch.save file") : _persistentLoad(id);

    private void Push(object? value)
    {
        if (_stack.Count >= _options.MaxStackItems) throw _in.Error($"more than {_options.MaxStackItems} values on the pickle stack");
        _stack.Add(value);
    }

    private object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor) throw _in.Error("an opcode needs a value, but the stack is empty");
        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        return _stack.Count <= floor ? throw _in.Error("an opcode needs a value, but the stack is empty") : _stack[^1];
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw _in.Error("an opcode needs a MARK, but there is none");
        int at = _marks.Pop();
        var items = _stack.GetRange(at, _stack.Count - at).ToArray();
        _stack.RemoveRange(at, _stack.Count - at);
        return items;
    }

    private void Memo(long index)
    {
        if (index < 0) throw _in.Error($"negative memo index {index}");
        if (_memo.Count >= _options.MaxMemoEntries && !_memo.ContainsKey(index))
            throw _in.Error($"more than {_options.MaxMemoEntries} memo entries");
        _memo[index] = Peek();
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out object? value) ? value : throw _in.Error($"memo entry {index} was never stored");

    private object?[] Tuple(object?[] items)
    {
        int depth = 1;
        foreach (object? item in items)
            if (item is object?[] inner && _tupleDepth.TryGetValue(inner, out int d)) depth = Math.Max(depth, d + 1);
        if (depth > _options.MaxDepth) throw _in.Error($"tuples nested deeper than {_options.MaxDepth}");
        if (depth > 1) _tupleDepth[items] = depth;
        return items;
    }

    private static Dictionary<object, object?> NewDict() => new(PickleKeyComparer.Instance);

    private void Append(object? target, object?[] items)
    {
        switch (target)
        {
            case List<object?> list: list.AddRange(items); break;
            case PickleObject obj: obj.ListItems.AddRange(items); break;
            default: throw _in.Error($"APPEND to a {Describe(target)}, which is not a list");
        }
    }

    private void SetItems(object? target, object?[] items)
    {
        if (items.Length % 2 != 0) throw _in.Error("SETITEMS with an odd number of values");
        var dict = target switch
        {
            Dictionary<object, object?> d => d,
            PickleObject obj => obj.DictItems,
            _ => throw _in.Error($"SETITEM on a {Describe(target)}, which is not a dict"),
        };
        for (int i = 0; i < items.Length; i += 2)
            dict[Key(items[i])] = items[i + 1];
    }

    private void AddItems(object? target, object?[] items)
    {
        if (target is not HashSet<object> set) throw _in.Error($"ADDITEMS to a {Describe(target)}, which is not a set");
        foreach (object? item in items) set.Add(Key(item));
    }

    private object Key(object? key)
    {
        if (key is null) throw _in.Error("a dict key or set item is None, which this reader does not support");
        if (!PickleKeyComparer.IsHashable(key)) throw _in.Error($"a dict key or set item is an unhashable {Describe(key)}");
        return key;
    }

    private object?[] AsArguments(object? args, string opcode) =>
        args as object?[] ?? throw _in.Error($"{opcode} expects a tuple of arguments, found a {Describe(args)}");

    private string AsName(object? value) =>
        value as string ?? throw _in.Error($"STACK_GLOBAL expects strings, found a {Describe(value)}");

    private string Utf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw _in.Error("a string is not valid UTF-8", e);
        }
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private object LongBytes(long count)
    {
        var bytes = _in.ReadBytes(count, "LONG1/LONG4");
        return PickleText.Normalise(new BigInteger(bytes, isUnsigned: false, isBigEndian: false));
    }

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => $"global {g.FullName}",
        PickleObject o => $"{o.Callable.FullName} placeholder",
        object?[] => "tuple",
        _ => value.GetType().Name,
    };
}
