using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// Argument checks and tensor-to-array copies shared by the metrics. The metrics are sequential, data-dependent
/// loops (ranking, dynamic programmes), so they run on plain CPU arrays rather than on per-element tensor ops.
/// </summary>
internal static class EvaluationInput
{
    /// <summary>Copies a non-empty 2-D floating-point tensor without NaN into a row-major float32 array.</summary>
    public static float[] ToMatrix(Tensor matrix, string argumentName, out int rows, out int columns)
    {
        ArgumentNullException.ThrowIfNull(matrix, argumentName);
        if (matrix.dim() != 2)
            throw new ArgumentException(
                $"{argumentName} must be a 2-D matrix, but got shape [{string.Join(", ", matrix.shape)}].", argumentName);
        if (!matrix.is_floating_point())
            throw new ArgumentException($"{argumentName} must be a floating-point tensor, but got {matrix.dtype}.", argumentName);
        rows = checked((int)matrix.shape[0]);
        columns = checked((int)matrix.shape[1]);
        if (rows == 0 || columns == 0)
            throw new ArgumentException(
                $"{argumentName} must not be empty, but got shape [{rows}, {columns}].", argumentName);
        using var scope = NewDisposeScope();
        float[] values = matrix.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        int nan = Array.FindIndex(values, float.IsNaN);
        if (nan >= 0)
            throw new ArgumentException(
                $"{argumentName} contains NaN at [{nan / columns}, {nan % columns}]; a ranking of NaN scores is undefined.",
                argumentName);
        return values;
    }

    /// <summary>Copies a non-empty 1-D integer tensor into an int64 array.</summary>
    public static long[] ToLabels(Tensor labels, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(labels, argumentName);
        if (labels.dim() != 1)
            throw new ArgumentException(
                $"{argumentName} must be 1-D, but got shape [{string.Join(", ", labels.shape)}].", argumentName);
        if (labels.is_floating_point() || labels.dtype == ScalarType.Bool || labels.is_complex())
            throw new ArgumentException($"{argumentName} must hold integer labels, but got {labels.dtype}.", argumentName);
        if (labels.shape[0] == 0)
            throw Guard.Argument(argumentName, "not be empty", "is empty");
        using var scope = NewDisposeScope();
        return labels.detach().cpu().to(ScalarType.Int64).contiguous().data<long>().ToArray();
    }
}
