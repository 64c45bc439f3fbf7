using Norton.Losses;

namespace Norton.Stress;

/// <summary>(a) <see cref="NortonLoss"/> with the paper's settings (fewer Sinkhorn sweeps), video-paragraph branch included: forward + backward.</summary>
internal sealed class LossWorkload(int seed) : IStressWorkload
{
    private readonly NortonLoss _loss = new(StressSettings.Loss);
    private readonly Inputs _inputs = new(clips: 8, dim: 8, words: 4, frames: 4, seed);

    public void Step()
    {
        using var output = _loss.forward(_inputs.Video, _inputs.Text);
        output.Loss.backward();
        _inputs.ClearGradients();
    }

    public void Dispose()
    {
        _inputs.Dispose();
        _loss.Dispose();
    }
}
