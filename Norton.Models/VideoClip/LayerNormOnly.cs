using TorchSharp;

namespace Norton.Models.VideoClip;

/// <summary>
/// Norton's <c>layernorm_only</c> post-training mode (docs/original-model.md §1.5): only LayerNorm γ/β stay trainable.
/// </summary>
public static class LayerNormOnly
{
    /// <summary>
    /// Keeps <c>requires_grad</c> on every parameter whose second-to-last dotted name component is exactly
    /// <c>LayerNorm</c> and clears it on every other parameter.
    /// </summary>
    /// <param name="module">The model (parameter names as in the checkpoint).</param>
    /// <returns>The number of scalar parameters left trainable (59,904 for the full-size model).</returns>
    public static long Apply(torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        long trainable = 0;
        foreach (var (name, parameter) in module.named_parameters())
        {
            string[] parts = name.Split('.');
            bool keep = parts.Length >= 2 && parts[^2] == "LayerNorm";
            parameter.requires_grad = keep;
            if (keep) trainable += parameter.numel();
        }
        return trainable;
    }
}
