using System.Diagnostics;

namespace Norton.Training.Extraction;

/// <summary>The bookkeeping of one <see cref="S3DFeatureExtractor.Extract"/> call: outcomes, times, progress reports.</summary>
internal sealed class ExtractionRun(int total, Action<ExtractionProgress>? progress)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _extracted = [];
    private readonly List<string> _skipped = [];
    private readonly List<ExtractionFailure> _failures = [];
    private double _videoSeconds;
    private TimeSpan _network;
    private TimeSpan _wait;

    private int Done => _extracted.Count + _skipped.Count + _failures.Count;

    public void Skip(string video)
    {
        _skipped.Add(video);
        Report(video, ExtractionOutcome.Skipped, null);
    }

    public void Fail(string video, string reason)
    {
        _failures.Add(new ExtractionFailure(video, reason));
        Report(video, ExtractionOutcome.Failed, reason);
    }

    public void Extracted(string video, double seconds)
    {
        _extracted.Add(video);
        _videoSeconds += seconds;
        Report(video, ExtractionOutcome.Extracted, null);
    }

    public void Computed(TimeSpan time) => _network += time;

    public void Waited(TimeSpan time) => _wait += time;

    public ExtractionSummary Summary() =>
        new(_extracted.ToArray(), _skipped.ToArray(), _failures.ToArray(), _videoSeconds, _clock.Elapsed, _network, _wait);

    private void Report(string video, ExtractionOutcome outcome, string? error) =>
        progress?.Invoke(new ExtractionProgress(video, outcome, Done, total, _videoSeconds, _clock.Elapsed, error));
}
