using Norton.Models;
using Norton.Training.Batching;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;

namespace Norton.Training;

/// <summary>
/// The trainer's data from a corpus folder (docs/training-data.md): epochs planned by <see cref="EpochPlanner"/>
/// (retrieval-augmented batches under the current model once the trainer asks for them, random batches before),
/// batches drawn with the <see cref="OverlappedClipSampler"/> exactly as <see cref="BatchFeeder.Build"/> does, and the
/// validation batches from the folder's <c>val</c> split when it has one.
/// </summary>
/// <example><code>
/// using var data = CorpusTrainingData.Open("corpus", new ClipSamplerOptions(), new RetrievalOptions(), expectedFeatureDim: 512);
/// using var trainer = new NortonTrainer(options, data, torch.CPU);
/// </code></example>
public sealed class CorpusTrainingData : ITrainingData, IDisposable
{
    private readonly PretrainingCorpus _train;
    private readonly PretrainingCorpus? _val;
    private readonly OverlappedClipSampler _sampler;

    private CorpusTrainingData(PretrainingCorpus train, PretrainingCorpus? val, ClipSamplerOptions clips, RetrievalOptions retrieval)
    {
        _train = train;
        _val = val;
        _sampler = new OverlappedClipSampler(clips);
        Retrieval = retrieval with { Clips = clips };
    }

    /// <summary>Opens <paramref name="folder"/>'s train split and, when present, its val split.</summary>
    /// <param name="folder">The corpus folder (<c>train_meta.pkl</c> and its shards).</param>
    /// <param name="clips">The clip sampler's settings (also used for the retrieval step's video vectors).</param>
    /// <param name="retrieval">Retrieval batching settings (videos per batch, IVF sizes).</param>
    /// <param name="expectedFeatureDim">The model's video feature width; null: no check.</param>
    /// <param name="vocabularySize">Token ids must lie in [0, this) (the text tower's vocabulary).</param>
    /// <exception cref="ArgumentException">The corpus's feature width differs from <paramref name="expectedFeatureDim"/>,
    /// or the val split's from the train split's; the message names the folder and both widths.</exception>
    /// <exception cref="FileNotFoundException">No <c>train_meta.pkl</c> or a missing shard.</exception>
    /// <exception cref="InvalidDataException">A malformed corpus (see <see cref="PretrainingCorpus.Open"/>).</exception>
    public static CorpusTrainingData Open(string folder, ClipSamplerOptions clips, RetrievalOptions retrieval, int? expectedFeatureDim = null,
        int vocabularySize = 30522)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(retrieval);
        clips.Validate();
        retrieval.Validate();
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"the corpus folder '{folder}' does not exist.");
        var train = PretrainingCorpus.Open(folder, "train", vocabularySize);
        PretrainingCorpus? val = null;
        try
        {
            if (expectedFeatureDim is int dim && train.FeatureDim != dim)
                throw new ArgumentException(
                    $"the corpus '{folder}' has {train.FeatureDim}-wide video features but the model's video tower takes {dim}-wide ones.", nameof(folder));
            if (File.Exists(CorpusLayout.MetaPath(folder, "val")))
            {
                val = PretrainingCorpus.Open(folder, "val", vocabularySize);
                if (val.FeatureDim != train.FeatureDim)
                    throw new ArgumentException(
                        $"the corpus '{folder}': the val split has {val.FeatureDim}-wide features, the train split {train.FeatureDim}-wide ones.", nameof(folder));
            }
            return new CorpusTrainingData(train, val, clips, retrieval);
        }
        catch
        {
            val?.Dispose();
            train.Dispose();
            throw;
        }
    }

    /// <summary>The training split.</summary>
    public PretrainingCorpus Train => _train;

    /// <summary>The validation split, or null when the folder has none.</summary>
    public PretrainingCorpus? Validation => _val;

    /// <summary>The clip sampler's settings.</summary>
    public ClipSamplerOptions Clips => _sampler.Options;

    /// <summary>The retrieval settings (their <see cref="RetrievalOptions.Clips"/> are <see cref="Clips"/>).</summary>
    public RetrievalOptions Retrieval { get; }

    /// <inheritdoc />
    public int FeatureDim => _train.FeatureDim;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<string>> PlanEpoch(int epoch, bool retrieval, VideoTextModel model, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (retrieval) ArgumentNullException.ThrowIfNull(model);
        return EpochPlanner.Plan(_train, random, retrieval ? model : null, Retrieval);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An id neither split holds.</exception>
    public TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(random);
        if (videoIds.Count == 0) throw new ArgumentException("a batch needs at least one video.", nameof(videoIds));
        var corpus = _train.Contains(videoIds[0]) ? _train : _val is not null && _val.Contains(videoIds[0]) ? _val : null;
        foreach (string id in videoIds)
            if (corpus is null || !corpus.Contains(id))
                throw new ArgumentException($"the corpus '{_train.Folder}' has no video '{id}' (or a batch mixes the train and val splits).", nameof(videoIds));
        return BatchFeeder.Build(corpus!, videoIds, _sampler, random);
    }

    /// <inheritdoc />
    /// <remarks>Full batches of <see cref="RetrievalOptions.VideosPerBatch"/> in the split's order; a val split smaller
    /// than one batch makes one smaller batch.</remarks>
    public IReadOnlyList<IReadOnlyList<string>> ValidationPlan()
    {
        if (_val is null) return [];
        int size = Retrieval.VideosPerBatch;
        if (_val.VideoIds.Count < size) return [_val.VideoIds.ToArray()];
        return _val.VideoIds.Chunk(size).Where(c => c.Length == size).Select(c => (IReadOnlyList<string>)c).ToList();
    }

    /// <summary>Unmaps both splits.</summary>
    public void Dispose()
    {
        _train.Dispose();
        _val?.Dispose();
    }
}
