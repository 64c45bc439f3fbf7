using Xunit.Abstractions;

namespace Norton.TestSupport;

/// <summary>
/// A theory row naming one golden file or fixture folder: shown by its name in test listings (the full path is too
/// long for xunit's display), converts to the full path for the test method.
/// </summary>
public sealed class CaseRef : IXunitSerializable
{
    /// <summary>For the serializer.</summary>
    public CaseRef() { }

    /// <summary>A row for <paramref name="path"/>.</summary>
    public CaseRef(string path) => Path = path;

    /// <summary>Full path of the file or folder.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The file name without extension, or the folder name.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The full path.</summary>
    public static implicit operator string(CaseRef row) => row.Path;

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <inheritdoc />
    public void Deserialize(IXunitSerializationInfo info) => Path = info.GetValue<string>(nameof(Path));

    /// <inheritdoc />
    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Path), Path);
}
