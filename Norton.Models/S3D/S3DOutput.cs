using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// What <see cref="S3DG"/> returns: the 512-d <c>video_embedding</c> and the 1024-d <c>mixed_5c</c> (the T, H, W mean of
/// the last Inception map, which is what the original returns under that name), plus the stage maps when asked for.
/// Disposing it disposes every tensor it holds.
/// </summary>
public sealed class S3DOutput : IDisposable
{
    private static readonly IReadOnlyDictionary<string, Tensor> NoStages = new Dictionary<string, Tensor>();

    internal S3DOutput(Tensor videoEmbedding, Tensor mixed5c, IReadOnlyDictionary<string, Tensor>? stages)
    {
        VideoEmbedding = videoEmbedding;
        Mixed5c = mixed5c;
        Stages = stages ?? NoStages;
    }

    /// <summary>(N, 512): <c>fc(mean_{T,H,W}(mixed_5c map))</c>, not normalised (the feature extractor L2-normalises it).</summary>
    public Tensor VideoEmbedding { get; }

    /// <summary>(N, 1024): the spatio-temporal mean of the mixed_5c map.</summary>
    public Tensor Mixed5c { get; }

    /// <summary>
    /// Stage outputs keyed by <see cref="S3DG.StageNames"/> (e.g. <c>conv1</c> before and <c>conv1_cropped</c> after the crop,
    /// <c>mixed_5c</c> the full map); empty unless requested with <see cref="S3DG.forward(Tensor, bool)"/> (<c>diagnostics: true</c>).
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Stages { get; }

    internal S3DOutput MoveToOuterDisposeScope()
    {
        VideoEmbedding.MoveToOuterDisposeScope();
        Mixed5c.MoveToOuterDisposeScope();
        foreach (var stage in Stages.Values)
            stage.MoveToOuterDisposeScope();
        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        VideoEmbedding.Dispose();
        Mixed5c.Dispose();
        foreach (var stage in Stages.Values)
            stage.Dispose();
    }
}
