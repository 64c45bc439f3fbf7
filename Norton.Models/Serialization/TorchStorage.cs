using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// A storage of a <c>torch.save</c> file (what its persistent ids name): a flat tensor of <see cref="Numel"/> elements,
/// allocated only after the declared size was checked against the file, and shared by every tensor that views it.
/// </summary>
internal sealed class TorchStorage(Tensor data, string key)
{
    public Tensor Data { get; } = data;

    public string Key { get; } = key;

    public long Numel => Data.shape[0];

    public ScalarType DType => Data.dtype;

    /// <summary>Whether the storage's bytes were read (the legacy format reads them after the pickle).</summary>
    public bool Filled { get; set; }

    /// <summary>Bytes per element of the storage types that <c>torch.save</c> writes.</summary>
    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Bool or ScalarType.Byte or ScalarType.Int8 => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw Guard.OutOfRange(nameof(type), type, "be a storage type"),
    };

    /// <summary>The element type of a storage class such as <c>torch.FloatStorage</c>; null for others.</summary>
    public static ScalarType? TypeOf(PickleGlobal storageClass) => storageClass.Module is "torch" or "torch.cuda" ? storageClass.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        "ComplexFloatStorage" => ScalarType.ComplexFloat32,
        "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
        _ => null,
    } : null;
}
