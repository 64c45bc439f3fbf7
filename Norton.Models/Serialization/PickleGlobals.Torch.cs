using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>The torch part of the allow-list: tensors as strided views of the file's storages.</summary>
internal sealed partial class PickleGlobals
{
    /// <summary><c>_rebuild_tensor(_v2)(storage, storage_offset, size, stride, …)</c>, bounds-checked against the storage.</summary>
    private Tensor RebuildTensor(object?[] args)
    {
        if (args.Length < 4 || args[0] is not TorchStorage storage)
            throw input.Error($"_rebuild_tensor expects (storage, offset, size, stride, …), found ({string.Join(", ", args.Select(PickleMachine.Describe))})");
        if (args[1] is not long offset || offset < 0) throw input.Error("_rebuild_tensor: the storage offset must be a non-negative integer");
        var size = Longs(args[2], "size");
        var stride = Longs(args[3], "stride");
        if (size.Length != stride.Length) throw input.Error($"_rebuild_tensor: size has {size.Length} dimensions, stride {stride.Length}");
        long extent;
        try
        {
            // The last element a view of this size and stride touches; an empty view touches none.
            extent = size.Any(s => s == 0) ? offset : checked(offset + 1 + size.Zip(stride).Sum(p => checked((p.First - 1) * p.Second)));
        }
        catch (OverflowException)
        {
            throw input.Error("_rebuild_tensor: size and stride overflow");
        }
        if (extent > storage.Numel)
            throw input.Error($"_rebuild_tensor: a view of size ({string.Join(", ", size)}), stride ({string.Join(", ", stride)}) and offset {offset} needs {extent} elements, but storage '{storage.Key}' has {storage.Numel}");
        var tensor = storage.Data.as_strided(size, stride, offset);
        created.Add(tensor);
        return tensor;
    }

    /// <summary><c>torch._tensor._rebuild_from_type_v2(func, type, args, state)</c>: plain tensors and parameters only.</summary>
    private object? RebuildFromType(object?[] args)
    {
        if (args.Length < 3 || args[0] is not PickleGlobal func || args[2] is not object?[] inner)
            throw input.Error("_rebuild_from_type_v2 expects (function, type, arguments, state)");
        object? value = Call(func, inner);
        return args[1] is PickleGlobal type && AllowList.TryGetValue((type.Module, type.Name), out Known k) && k == Known.TorchTensorClass
            ? value
            : new PickleObject(args[1] as PickleGlobal ?? new PickleGlobal("?", "?"), [value]);
    }

    private long[] Longs(object? value, string what)
    {
        if (value is not object?[] items) throw input.Error($"_rebuild_tensor: {what} must be a tuple, found {PickleMachine.Describe(value)}");
        if (items.Length > 64) throw input.Error($"_rebuild_tensor: {items.Length} dimensions");
        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
            result[i] = items[i] is long l && l >= 0 ? l : throw input.Error($"_rebuild_tensor: {what} entries must be non-negative integers");
        return result;
    }
}
