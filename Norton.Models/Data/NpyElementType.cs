using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Models.Data;

/// <summary>The element types this reader understands, all little-endian (numpy's <c>descr</c> in brackets).</summary>
public enum NpyElementType
{
    /// <summary>IEEE half (<c>&lt;f2</c>), e.g. the S3D features.</summary>
    Float16,

    /// <summary>IEEE single (<c>&lt;f4</c>).</summary>
    Float32,

    /// <summary>IEEE double (<c>&lt;f8</c>).</summary>
    Float64,

    /// <summary>Boolean byte (<c>|b1</c>).</summary>
    Bool,

    /// <summary>Signed byte (<c>|i1</c>).</summary>
    Int8,

    /// <summary>Unsigned byte (<c>|u1</c>).</summary>
    UInt8,

    /// <summary>16-bit integer (<c>&lt;i2</c>).</summary>
    Int16,

    /// <summary>32-bit integer (<c>&lt;i4</c>), e.g. caption token ids.</summary>
    Int32,

    /// <summary>64-bit integer (<c>&lt;i8</c>), e.g. ShardedTensor starts.</summary>
    Int64,
}

/// <summary>Sizes, numpy codes and TorchSharp types of <see cref="NpyElementType"/>.</summary>
public static class NpyElementTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this NpyElementType type) => type switch
    {
        NpyElementType.Bool or NpyElementType.Int8 or NpyElementType.UInt8 => 1,
        NpyElementType.Float16 or NpyElementType.Int16 => 2,
        NpyElementType.Float32 or NpyElementType.Int32 => 4,
        NpyElementType.Float64 or NpyElementType.Int64 => 8,
        _ => throw Guard.OutOfRange(nameof(type), type, "be an NpyElementType value"),
    };

    /// <summary>The matching TorchSharp scalar type.</summary>
    public static ScalarType ToScalarType(this NpyElementType type) => type switch
    {
        NpyElementType.Float16 => ScalarType.Float16,
        NpyElementType.Float32 => ScalarType.Float32,
        NpyElementType.Float64 => ScalarType.Float64,
        NpyElementType.Bool => ScalarType.Bool,
        NpyElementType.Int8 => ScalarType.Int8,
        NpyElementType.UInt8 => ScalarType.Byte,
        NpyElementType.Int16 => ScalarType.Int16,
        NpyElementType.Int32 => ScalarType.Int32,
        NpyElementType.Int64 => ScalarType.Int64,
        _ => throw Guard.OutOfRange(nameof(type), type, "be an NpyElementType value"),
    };

    /// <summary>Whether the type is a floating-point type.</summary>
    public static bool IsFloatingPoint(this NpyElementType type) =>
        type is NpyElementType.Float16 or NpyElementType.Float32 or NpyElementType.Float64;

    /// <summary>Parses a numpy <c>descr</c> such as <c>&lt;f4</c>; null when it is not one of the supported types.</summary>
    /// <remarks>
    /// Little-endian (<c>&lt;</c>), native (<c>=</c>, on a little-endian machine) and not-applicable (<c>|</c>) byte
    /// orders are accepted; big-endian (<c>&gt;</c>) only for one-byte types.
    /// </remarks>
    public static NpyElementType? Parse(string descr)
    {
        ArgumentNullException.ThrowIfNull(descr);
        if (descr.Length < 3) return null;
        char order = descr[0];
        NpyElementType? type = descr[1..] switch
        {
            "f2" => NpyElementType.Float16,
            "f4" => NpyElementType.Float32,
            "f8" => NpyElementType.Float64,
            "b1" => NpyElementType.Bool,
            "i1" => NpyElementType.Int8,
            "u1" => NpyElementType.UInt8,
            "i2" => NpyElementType.Int16,
            "i4" => NpyElementType.Int32,
            "i8" => NpyElementType.Int64,
            _ => null,
        };
        if (type is null) return null;
        bool littleOrAny = order == '<' || order == '|' || (order == '=' && BitConverter.IsLittleEndian);
        return littleOrAny || (order == '>' && type.Value.Size() == 1) ? type : null;
    }
}
