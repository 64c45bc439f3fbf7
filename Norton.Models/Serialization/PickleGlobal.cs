namespace Norton.Models.Serialization;

/// <summary>
/// A Python global (a class or function) that a pickle names but that the reader does not rebuild: only its name is
/// kept. It is never imported, looked up or called.
/// </summary>
/// <param name="Module">The module, e.g. <c>argparse</c>.</param>
/// <param name="Name">The qualified name inside the module, e.g. <c>Namespace</c>.</param>
public sealed record PickleGlobal(string Module, string Name)
{
    /// <summary><c>module.name</c>.</summary>
    public string FullName => $"{Module}.{Name}";

    /// <inheritdoc />
    public override string ToString() => FullName;
}
