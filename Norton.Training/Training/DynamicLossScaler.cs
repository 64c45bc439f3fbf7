namespace Norton.Training;

/// <summary>
/// Dynamic loss scaling for float16/bfloat16 training, as fairseq's <c>fp16</c> runs it: the loss is multiplied by
/// <see cref="Scale"/> before the backward and the gradients divided by it; an update whose gradients overflow
/// (an infinite or NaN norm) is skipped and the scale halved; after <see cref="Window"/> clean updates in a row the
/// scale doubles.
/// </summary>
public sealed class DynamicLossScaler
{
    /// <summary>Creates a scaler.</summary>
    /// <param name="initialScale">fairseq's <c>fp16_init_scale</c>: 128.</param>
    /// <param name="window">fairseq's <c>fp16_scale_window</c>: 2,000 clean updates before the scale doubles.</param>
    /// <param name="minimumScale">fairseq's <c>min_loss_scale</c>: below it the run stops (the loss overflows whatever the scale).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive, or the minimum exceeds the initial scale.</exception>
    public DynamicLossScaler(double initialScale = 128, int window = 2000, double minimumScale = 1e-4)
    {
        if (!(initialScale > 0) || !double.IsFinite(initialScale))
            throw new ArgumentOutOfRangeException(nameof(initialScale), initialScale, "the initial loss scale must be a positive finite number.");
        if (window <= 0)
            throw new ArgumentOutOfRangeException(nameof(window), window, "the scale window must be positive.");
        if (!(minimumScale > 0) || minimumScale > initialScale)
            throw new ArgumentOutOfRangeException(nameof(minimumScale), minimumScale, $"the minimum scale must lie in (0, initial scale = {initialScale}].");
        Scale = initialScale;
        Window = window;
        MinimumScale = minimumScale;
    }

    /// <summary>The current loss scale.</summary>
    public double Scale { get; private set; }

    /// <summary>Clean updates in a row before the scale doubles.</summary>
    public int Window { get; }

    /// <summary>The smallest scale the run accepts.</summary>
    public double MinimumScale { get; }

    /// <summary>Clean updates since the last change of the scale (saved in checkpoints).</summary>
    public int CleanUpdates { get; private set; }

    /// <summary>Records one update's outcome; returns whether the update may be applied.</summary>
    /// <param name="gradientNorm">The unscaled gradient norm; infinite or NaN means overflow.</param>
    /// <exception cref="InvalidOperationException">The scale fell below <see cref="MinimumScale"/>.</exception>
    public bool Update(double gradientNorm)
    {
        if (!double.IsFinite(gradientNorm))
        {
            Scale /= 2;
            CleanUpdates = 0;
            if (Scale < MinimumScale)
                throw new InvalidOperationException(
                    $"the loss scale fell to {Scale} (minimum {MinimumScale}): the gradients overflow at every scale. Train in float32 or lower the learning rate.");
            return false;
        }
        if (++CleanUpdates >= Window)
        {
            Scale *= 2;
            CleanUpdates = 0;
        }
        return true;
    }

    /// <summary>Restores a saved state (scale and clean-update count).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not positive or the count is out of [0, window).</exception>
    public void Restore(double scale, int cleanUpdates)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "a saved loss scale must be a positive finite number.");
        if (cleanUpdates < 0 || cleanUpdates >= Window)
            throw new ArgumentOutOfRangeException(nameof(cleanUpdates), cleanUpdates, $"a saved clean-update count must lie in [0, {Window}).");
        Scale = scale;
        CleanUpdates = cleanUpdates;
    }
}
