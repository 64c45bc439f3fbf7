using Norton.Core;
using Norton.Losses;

namespace Norton.Stress;

/// <summary>(d) The fine-grained similarity (its custom autograd function): forward + backward.</summary>
internal sealed class FineGrainedWorkload(int seed) : IStressWorkload
{
    private readonly FineGrainedSimilarity _similarity = new();
    private readonly Inputs _inputs = new(clips: 6, dim: 8, words: 4, frames: 4, seed);

    public void Step()
    {
        var (t2v, v2t) = _similarity.forward(_inputs.Text, _inputs.Video);
        t2v.sum().add(v2t.sum(), Scalars.One).backward();
        _inputs.ClearGradients();
    }

    public void Dispose() => _inputs.Dispose();
}
