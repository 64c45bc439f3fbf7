namespace Norton.Training;

/// <summary>The arithmetic of the towers during training. The loss computes its optimal transport in float32 always.</summary>
public enum TrainingPrecision
{
    /// <summary>float32 weights and activations (the default).</summary>
    Float32,

    /// <summary>float16 towers with float32 master weights and dynamic loss scaling (fairseq's <c>fp16: true</c>).</summary>
    Float16,

    /// <summary>bfloat16 towers with float32 master weights and the same dynamic loss scaling.</summary>
    BFloat16,
}
