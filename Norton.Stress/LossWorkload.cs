using Norton.Losses;

namespace Norton.Stress;

/// <summary>(a) <see cref="NortonLoss"/> with the paper's settings, video-paragraph branch included: forward + backward.</summary>
internal sealed class LossWorkload(int seed) : IStressWorkload
{
    private readonly NortonLoss _loss = new();
    private readonly Inputs _inputs = new(clips: 8, dim: 16, words: 6, frames: 6, seed);

    public void Step()
    {
        using var output = _loss.Forward(_inputs.Video, _inputs.Text);
        output.Loss.backward();
        _inputs.ClearGradients();
    }

    public void Dispose()
    {
        _inputs.Dispose();
        _loss.Dispose();
    }
}
