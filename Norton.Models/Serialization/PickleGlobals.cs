using System.Numerics;
using System.Text;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// The allow-list: the only Python globals whose calls are rebuilt (containers, numpy arrays/dtypes/scalars,
/// <c>_codecs.encode</c>, torch's tensor rebuild functions). Any other call becomes an inert <see cref="PickleObject"/>,
/// or fails in strict mode. Nothing is imported and no name is ever looked up as code.
/// </summary>
internal sealed partial class PickleGlobals(PickleInput input, PickleReaderOptions options, List<Tensor> created)
{
    private enum Known
    {
        Dict, List, Set, FrozenSet, ByteArray, Bytes, Complex, CodecsEncode, Reconstructor,
        NumpyReconstruct, NumpyArrayClass, NumpyDType, NumpyScalar, NumpyFromBuffer,
        RebuildTensor, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, RebuildFromTypeV2,
        TorchSize, TorchTensorClass, StorageClass,
    }

    private static readonly Dictionary<(string, string), Known> AllowList = BuildAllowList();

    private static Dictionary<(string, string), Known> BuildAllowList()
    {
        var map = new Dictionary<(string, string), Known>();
        foreach (string b in new[] { "builtins", "__builtin__" })
        {
            map[(b, "dict")] = Known.Dict;
            map[(b, "list")] = Known.List;
            map[(b, "set")] = Known.Set;
            map[(b, "frozenset")] = Known.FrozenSet;
            map[(b, "bytearray")] = Known.ByteArray;
            map[(b, "bytes")] = Known.Bytes;
            map[(b, "complex")] = Known.Complex;
        }
        map[("collections", "OrderedDict")] = Known.Dict;
        map[("collections", "defaultdict")] = Known.Dict;
        map[("_codecs", "encode")] = Known.CodecsEncode;
        map[("copyreg", "_reconstructor")] = Known.Reconstructor;
        map[("copy_reg", "_reconstructor")] = Known.Reconstructor;
        foreach (string core in new[] { "numpy.core", "numpy._core" })
        {
            map[(core + ".multiarray", "_reconstruct")] = Known.NumpyReconstruct;
            map[(core + ".multiarray", "scalar")] = Known.NumpyScalar;
            map[(core + ".numeric", "_frombuffer")] = Known.NumpyFromBuffer;
        }
        map[("numpy", "ndarray")] = Known.NumpyArrayClass;
        map[("numpy", "dtype")] = Known.NumpyDType;
        map[("torch._utils", "_rebuild_tensor")] = Known.RebuildTensor;
        map[("torch._utils", "_rebuild_tensor_v2")] = Known.RebuildTensorV2;
        map[("torch._utils", "_rebuild_parameter")] = Known.RebuildParameter;
        map[("torch._utils", "_rebuild_parameter_with_state")] = Known.RebuildParameterWithState;
        map[("torch._tensor", "_rebuild_from_type_v2")] = Known.RebuildFromTypeV2;
        map[("torch", "Size")] = Known.TorchSize;
        map[("torch", "Tensor")] = Known.TorchTensorClass;
        map[("torch.nn.parameter", "Parameter")] = Known.TorchTensorClass;
        foreach (string s in new[] { "Float", "Double", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool", "ComplexFloat", "ComplexDouble" })
            map[("torch", s + "Storage")] = Known.StorageClass;
        return map;
    }

    /// <summary>GLOBAL: a name only; strict mode refuses names outside the allow-list.</summary>
    public PickleGlobal Resolve(string module, string name)
    {
        if (options.Strict && !AllowList.ContainsKey((module, name)))
            throw input.Error($"the pickle names the global {module}.{name}, which is not on the allow-list (strict mode)");
        return new PickleGlobal(module, name);
    }

    /// <summary>REDUCE: <paramref name="callable"/>(*<paramref name="args"/>).</summary>
    public object? Call(object? callable, object?[] args)
    {
        if (callable is not PickleGlobal g) throw input.Error($"REDUCE calls a {PickleMachine.Describe(callable)}, which is not a global");
        if (!AllowList.TryGetValue((g.Module, g.Name), out Known known)) return new PickleObject(g, args);
        return known switch
        {
            Known.Dict => DictFrom(args),
            Known.List => args.Length == 0 ? new List<object?>() : new List<object?>(AsItems(args[0], "list()")),
            Known.Set or Known.FrozenSet => SetFrom(args),
            Known.ByteArray or Known.Bytes or Known.CodecsEncode => BytesFrom(args, g),
            Known.Complex => new Complex(Number(Arg(args, 0, g)), args.Length > 1 ? Number(args[1]) : 0),
            Known.Reconstructor => New(Arg(args, 0, g), args.Length > 2 && args[2] is not null ? [args[2]] : []),
            Known.NumpyReconstruct => Arg(args, 0, g) is PickleGlobal { Module: "numpy", Name: "ndarray" } ? new NumpyArray() : new PickleObject(g, args),
            Known.NumpyDType => NumpyDTypeFrom(args),
            Known.NumpyScalar => NumpyScalar(args),
            Known.NumpyFromBuffer => NumpyFromBuffer(args),
            Known.RebuildTensor or Known.RebuildTensorV2 => RebuildTensor(args),
            Known.RebuildParameter or Known.RebuildParameterWithState => Arg(args, 0, g) as Tensor ?? throw input.Error($"{g.FullName} expects a tensor"),
            Known.RebuildFromTypeV2 => RebuildFromType(args),
            Known.TorchSize => args.Length == 1 && args[0] is object?[] dims ? dims : throw input.Error("torch.Size expects one tuple"),
            _ => throw input.Error($"{g.FullName} cannot be called"),
        };
    }

    /// <summary>NEWOBJ / INST / OBJ: <c>cls.__new__(cls, *args)</c>.</summary>
    public object? New(object? cls, object?[] args)
    {
        if (cls is not PickleGlobal g) throw input.Error($"an instance of a {PickleMachine.Describe(cls)}, which is not a class");
        if (AllowList.TryGetValue((g.Module, g.Name), out Known known))
        {
            switch (known)
            {
                case Known.Dict: return new Dictionary<object, object?>(PickleKeyComparer.Instance);
                case Known.List: return new List<object?>();
                case Known.Set or Known.FrozenSet: return SetFrom(args);
            }
        }
        return new PickleObject(g, args);
    }

    /// <summary>BUILD: sets the state of an object made by REDUCE/NEWOBJ.</summary>
    public void Build(object? target, object? state)
    {
        switch (target)
        {
            case PickleObject obj: obj.State = state; break;
            case NumpyArray array when !array.IsFilled: FillArray(array, state); break;
            case NumpyDTypeRef dtype: dtype.SetState(state, input); break;
            // Attributes of dict/list subclasses (an OrderedDict's _metadata) and of tensors carry no data we use.
            case Dictionary<object, object?> or List<object?> or HashSet<object> or Tensor: break;
            default: throw input.Error($"BUILD on a {PickleMachine.Describe(target)}");
        }
    }

    private object? Arg(object?[] args, int index, PickleGlobal g) =>
        index < args.Length ? args[index] : throw input.Error($"{g.FullName} expects at least {index + 1} arguments, got {args.Length}");

    private IEnumerable<object?> AsItems(object? value, string what) => value switch
    {
        List<object?> list => list,
        object?[] tuple => tuple,
        HashSet<object> set => set,
        _ => throw input.Error($"{what} expects a list or tuple, found a {PickleMachine.Describe(value)}"),
    };

    private Dictionary<object, object?> DictFrom(object?[] args)
    {
        var dict = new Dictionary<object, object?>(PickleKeyComparer.Instance);
        // OrderedDict(list of pairs) in old protocols; defaultdict(factory) carries no items.
        if (args.Length >= 1 && args[0] is List<object?> pairs)
            foreach (object? pair in pairs)
            {
                if (AsItems(pair, "a dict item").ToArray() is not [var k, var v] || k is null || !PickleKeyComparer.IsHashable(k))
                    throw input.Error("dict() expects (key, value) pairs with hashable keys");
                dict[k] = v;
            }
        return dict;
    }

    private HashSet<object> SetFrom(object?[] args)
    {
        var set = new HashSet<object>(PickleKeyComparer.Instance);
        if (args.Length > 0)
            foreach (object? item in AsItems(args[0], "set()"))
                set.Add(item is not null && PickleKeyComparer.IsHashable(item) ? item : throw input.Error("a set item is None or unhashable"));
        return set;
    }

    private byte[] BytesFrom(object?[] args, PickleGlobal g) => args switch
    {
        [] => [],
        [byte[] b] => b,
        [string s] => Encoding.Latin1.GetBytes(s),
        [string s, string enc] when IsLatin1(enc) => s.Any(c => c > 0xFF) ? throw input.Error($"{g.FullName}: a latin-1 string holds a character above U+00FF") : Encoding.Latin1.GetBytes(s),
        [List<object?> ints] when ints.All(x => x is long l && l is >= 0 and <= 255) => ints.Select(x => (byte)(long)x!).ToArray(),
        _ => throw input.Error($"{g.FullName} is only rebuilt for byte strings (latin-1), got ({string.Join(", ", args.Select(PickleMachine.Describe))})"),
    };

    private static bool IsLatin1(string encoding) => encoding.Replace("-", "").Replace("_", "").ToLowerInvariant() is "latin1" or "iso88591";

    private double Number(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw input.Error($"expected a number, found a {PickleMachine.Describe(value)}"),
    };
}
