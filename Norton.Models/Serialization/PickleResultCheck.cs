namespace Norton.Models.Serialization;

/// <summary>
/// The last step of a read, without recursion: refuses cyclic structures, nesting deeper than the limit and numpy
/// arrays that were never filled in, and swaps dtype builders for <see cref="NumpyDType"/> values.
/// </summary>
internal static class PickleResultCheck
{
    public static object? Finish(object? root, PickleReaderOptions options, PickleInput input)
    {
        if (root is NumpyDTypeRef r) return r.Type;
        var height = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var onPath = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var path = new Stack<(object Node, object?[] Children, int Next, int Height)>();
        if (!IsContainer(root)) return root;
        Enter(root!);
        while (path.Count > 0)
        {
            var (node, children, next, h) = path.Pop();
            if (next == children.Length)
            {
                onPath.Remove(node);
                height[node] = h;
                if (path.Count > 0)
                {
                    var parent = path.Pop();
                    path.Push(parent with { Height = Math.Max(parent.Height, h + 1) });
                }
                continue;
            }
            path.Push((node, children, next + 1, h));
            object? child = children[next];
            if (!IsContainer(child)) continue;
            if (onPath.Contains(child!)) throw input.Error("the pickle holds a cyclic structure (a container that contains itself), which is not supported");
            if (height.TryGetValue(child!, out int ch))
            {
                if (path.Count + ch > options.MaxDepth) throw DepthError(options, input);
                var top = path.Pop();
                path.Push(top with { Height = Math.Max(top.Height, ch + 1) });
                continue;
            }
            Enter(child!);
        }
        return root;

        void Enter(object node)
        {
            if (path.Count + 1 > options.MaxDepth) throw DepthError(options, input);
            if (node is NumpyArray { IsFilled: false }) throw input.Error("a numpy array was created but never given its data (BUILD missing)");
            onPath.Add(node);
            path.Push((node, Children(node), 0, 1));
        }
    }

    private static SerializedDataException DepthError(PickleReaderOptions options, PickleInput input) =>
        input.Error($"containers nested deeper than {options.MaxDepth}");

    private static bool IsContainer(object? value) =>
        value is List<object?> or Dictionary<object, object?> or object?[] or HashSet<object> or PickleObject or NumpyArray;

    private static object?[] Children(object node)
    {
        switch (node)
        {
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                    if (list[i] is NumpyDTypeRef r) list[i] = r.Type;
                return list.ToArray();
            case object?[] tuple:
                for (int i = 0; i < tuple.Length; i++)
                    if (tuple[i] is NumpyDTypeRef r) tuple[i] = r.Type;
                return tuple;
            case Dictionary<object, object?> dict:
                foreach (var key in dict.Keys.ToList())
                    if (dict[key] is NumpyDTypeRef r) dict[key] = r.Type;
                return dict.Keys.Cast<object?>().Concat(dict.Values).ToArray();
            case HashSet<object> set:
                return set.ToArray();
            case PickleObject obj:
                if (obj.State is NumpyDTypeRef s) obj.State = s.Type;
                if (obj.Arguments is object?[] args)
                    for (int i = 0; i < args.Length; i++)
                        if (args[i] is NumpyDTypeRef r) args[i] = r.Type;
                for (int i = 0; i < obj.ListItems.Count; i++)
                    if (obj.ListItems[i] is NumpyDTypeRef r) obj.ListItems[i] = r.Type;
                return [.. obj.Arguments, obj.State, .. obj.ListItems, .. obj.DictItems.Keys, .. obj.DictItems.Values];
            case NumpyArray array:
                return array.Objects?.ToArray() ?? [];
            default:
                return [];
        }
    }
}
