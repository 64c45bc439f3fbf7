using System.Text;

namespace Norton.Models.Checkpoints;

/// <summary>
/// A state dict that does not fit the module: every missing key, unexpected key and shape or dtype mismatch at once,
/// so one failed load shows everything that needs fixing. Nothing was copied into the module.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception; the message lists all three groups.</summary>
    public CheckpointMismatchException(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
        : base(Describe(missing, unexpected, mismatched))
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>Module keys the checkpoint lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Checkpoint keys the module lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys present in both with a different shape or an incompatible dtype, each as
    /// <c>key: checkpoint [..] dtype, module [..] dtype</c>.</summary>
    public IReadOnlyList<string> Mismatched { get; }

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        var sb = new StringBuilder("The checkpoint does not fit the module (nothing was loaded):");
        Append(sb, "missing keys (in the module, not in the checkpoint)", missing);
        Append(sb, "unexpected keys (in the checkpoint, not in the module)", unexpected);
        Append(sb, "shape/dtype mismatches", mismatched);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        sb.Append('\n').Append(items.Count).Append(' ').Append(title).Append(':');
        foreach (string item in items) sb.Append("\n  ").Append(item);
    }
}
