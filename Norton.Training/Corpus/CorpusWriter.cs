using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// Writes a pretraining corpus in the original's layout (<see cref="CorpusLayout"/>; docs/training-data.md): videos are
/// added one by one and streamed into shards of <see cref="CorpusWriterOptions.ShardSize"/> videos in the order
/// added; <see cref="Complete"/> writes the meta pickle. Each shard's files appear only once the shard is full (or
/// at <see cref="Complete"/>), under temporary names until then.
/// </summary>
/// <example><code>
/// using var writer = new CorpusWriter("corpus");
/// writer.Add("video0", features, 512, new[] { new TimedCaption(0.5, 4.2, "crack two eggs into a bowl") });
/// writer.Complete();
/// </code></example>
public sealed class CorpusWriter : IDisposable
{
    private readonly string _folder;
    private readonly CaptionPretokenizer _pretokenizer;
    private readonly SortedDictionary<int, IReadOnlyList<string>> _meta = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private ShardedTensorWriter? _videos, _times, _tokens;
    private List<string> _current = new();
    private int? _featureDim;
    private bool _completed;

    /// <summary>Starts a corpus in <paramref name="folder"/> (created if needed).</summary>
    /// <param name="folder">Target folder.</param>
    /// <param name="options">Layout; the defaults write "train" shards of 4096 float16 videos.</param>
    /// <param name="pretokenizer">Caption tokenisation for <see cref="Add"/> (bert-base-uncased when null).</param>
    public CorpusWriter(string folder, CorpusWriterOptions? options = null, CaptionPretokenizer? pretokenizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Options = (options ?? new CorpusWriterOptions()).Validate();
        _folder = folder;
        _pretokenizer = pretokenizer ?? new CaptionPretokenizer();
        Directory.CreateDirectory(folder);
    }

    /// <summary>The layout settings.</summary>
    public CorpusWriterOptions Options { get; }

    /// <summary>Videos added so far.</summary>
    public int Count => _seen.Count;

    /// <summary>Adds a video with raw captions, pretokenised as the original does (<see cref="CaptionPretokenizer"/>).</summary>
    /// <param name="videoId">A new id.</param>
    /// <param name="features">Seconds x <paramref name="featureDim"/> values, row-major.</param>
    /// <param name="featureDim">Feature width (the same for every video).</param>
    /// <param name="captions">At least one caption with finite, non-negative times.</param>
    /// <exception cref="ArgumentException">See <see cref="AddTokenized"/>.</exception>
    public void Add(string videoId, ReadOnlySpan<float> features, int featureDim, IReadOnlyList<TimedCaption> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        AddTokenized(videoId, features, featureDim,
            captions.Select(c => c.Start).ToArray(), captions.Select(c => c.End).ToArray(),
            captions.Select(c => _pretokenizer.Encode(c.Text)).ToArray());
    }

    /// <summary>Adds a video whose captions are already token ids (at most 32 kept per caption).</summary>
    /// <exception cref="ArgumentException">
    /// A repeated id, no seconds of features, a different feature width, no captions, caption times that are NaN,
    /// infinite or negative, or ids outside the vocabulary; the message names the video.
    /// </exception>
    public void AddTokenized(string videoId, ReadOnlySpan<float> features, int featureDim,
        IReadOnlyList<double> start, IReadOnlyList<double> end, IReadOnlyList<int[]> tokens)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentException.ThrowIfNullOrEmpty(videoId);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(tokens);
        Check(videoId, features.Length, featureDim, start, end, tokens);
        _seen.Add(videoId);
        _featureDim = featureDim;
        OpenShard();
        _videos!.Append(features);
        var times = new float[2 * start.Count];
        var ids = new int[CaptionPretokenizer.MaxTokens * start.Count];
        Array.Fill(ids, -1);
        for (int c = 0; c < start.Count; c++)
        {
            times[2 * c] = (float)start[c];
            times[2 * c + 1] = (float)end[c];
            tokens[c].AsSpan(0, Math.Min(tokens[c].Length, CaptionPretokenizer.MaxTokens)).CopyTo(ids.AsSpan(c * CaptionPretokenizer.MaxTokens));
        }
        _times!.Append(times);
        _tokens!.Append(ids);
        _current.Add(videoId);
        if (_current.Count == Options.ShardSize) CloseShard();
    }

    /// <summary>Finishes the last shard and writes <c>&lt;split&gt;_meta.pkl</c>.</summary>
    /// <exception cref="InvalidOperationException">No video was added.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (Count == 0) throw new InvalidOperationException($"{_folder}: a corpus needs at least one video.");
        CloseShard();
        MetaPickleWriter.Write(CorpusLayout.MetaPath(_folder, Options.Split), _meta);
        _completed = true;
    }

    /// <summary>Abandons an incomplete shard (its temporary files are deleted).</summary>
    public void Dispose()
    {
        _completed = true;
        _videos?.Dispose();
        _times?.Dispose();
        _tokens?.Dispose();
    }

    private void Check(string id, int values, int featureDim, IReadOnlyList<double> start, IReadOnlyList<double> end, IReadOnlyList<int[]> tokens)
    {
        if (_seen.Contains(id)) throw new ArgumentException($"video '{id}' was already added.", "videoId");
        if (featureDim < 1 || (_featureDim is int d && d != featureDim))
            throw new ArgumentException($"video '{id}': feature width {featureDim}, expected {_featureDim?.ToString() ?? "a positive width"}.", nameof(featureDim));
        if (values == 0 || values % featureDim != 0)
            throw new ArgumentException($"video '{id}': expected seconds x {featureDim} features with at least one second, found {values} values.", "features");
        if (start.Count == 0) throw new ArgumentException($"video '{id}': expected at least one caption, found none.", nameof(start));
        if (end.Count != start.Count || tokens.Count != start.Count)
            throw new ArgumentException($"video '{id}': {start.Count} starts, {end.Count} ends and {tokens.Count} token lists; they must agree.", nameof(end));
        for (int c = 0; c < start.Count; c++)
        {
            if (!double.IsFinite(start[c]) || !double.IsFinite(end[c]) || start[c] < 0 || end[c] < 0)
                throw new ArgumentException($"video '{id}', caption {c}: times must be finite and non-negative, found [{start[c]}, {end[c]}].", nameof(start));
            foreach (int token in tokens[c] ?? throw new ArgumentException($"video '{id}', caption {c}: null token list.", nameof(tokens)))
                if (token < 0 || token >= Options.VocabularySize)
                    throw new ArgumentException($"video '{id}', caption {c}: token id {token} is outside the vocabulary [0, {Options.VocabularySize}).", nameof(tokens));
        }
    }

    private void OpenShard()
    {
        if (_videos is not null) return;
        int shard = _meta.Count;
        string video = CorpusLayout.VideoShardPrefix(_folder, Options.Split, shard), captions = CorpusLayout.CaptionShardPrefix(_folder, Options.Split, shard);
        _videos = new ShardedTensorWriter(video, Options.Float16Features ? NpyElementType.Float16 : NpyElementType.Float32, _featureDim!.Value);
        _times = new ShardedTensorWriter(captions + ".startends", NpyElementType.Float32, 2);
        _tokens = new ShardedTensorWriter(captions + ".caps_ids", NpyElementType.Int32, CaptionPretokenizer.MaxTokens);
    }

    private void CloseShard()
    {
        if (_videos is null) return;
        _videos.Complete();
        _times!.Complete();
        _tokens!.Complete();
        _meta[_meta.Count] = _current;
        _current = new List<string>();
        _videos = _times = _tokens = null;
    }
}
