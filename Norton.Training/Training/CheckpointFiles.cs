using System.Globalization;
using System.Text.RegularExpressions;

namespace Norton.Training;

/// <summary>
/// fairseq's checkpoint names and keep rules: <c>checkpoint_{epoch}_{update}.pt</c> every
/// <c>save_interval_updates</c> (the newest <c>keep_interval_updates</c> kept), <c>checkpoint{epoch}.pt</c> at each
/// epoch end (the newest <c>keep_last_epochs</c> kept), <c>checkpoint_best.pt</c> (lowest validation loss) and
/// <c>checkpoint_last.pt</c> (the latest save).
/// </summary>
public static partial class CheckpointFiles
{
    /// <summary>The latest save.</summary>
    public const string Last = "checkpoint_last.pt";

    /// <summary>The save with the lowest validation loss.</summary>
    public const string Best = "checkpoint_best.pt";

    /// <summary>The name of the interval checkpoint after <paramref name="update"/> updates in <paramref name="epoch"/>.</summary>
    public static string Interval(int epoch, long update) => string.Create(CultureInfo.InvariantCulture, $"checkpoint_{epoch}_{update}.pt");

    /// <summary>The name of the checkpoint at the end of <paramref name="epoch"/>.</summary>
    public static string Epoch(int epoch) => string.Create(CultureInfo.InvariantCulture, $"checkpoint{epoch}.pt");

    /// <summary>
    /// Deletes the interval checkpoints beyond the newest <paramref name="keepInterval"/> (by update) and the epoch
    /// checkpoints beyond the newest <paramref name="keepEpochs"/> (by epoch) in <paramref name="directory"/>; a
    /// negative count keeps all. Returns the deleted file names.
    /// </summary>
    public static IReadOnlyList<string> Prune(string directory, int keepInterval, int keepEpochs)
    {
        var names = Directory.EnumerateFiles(directory, "checkpoint*.pt").Select(Path.GetFileName).OfType<string>().ToList();
        var doomed = new List<string>();
        if (keepInterval >= 0)
            doomed.AddRange(names.Select(n => (n, m: IntervalPattern().Match(n))).Where(x => x.m.Success)
                .OrderByDescending(x => long.Parse(x.m.Groups[1].Value, CultureInfo.InvariantCulture)).Skip(keepInterval).Select(x => x.n));
        if (keepEpochs >= 0)
            doomed.AddRange(names.Select(n => (n, m: EpochPattern().Match(n))).Where(x => x.m.Success)
                .OrderByDescending(x => int.Parse(x.m.Groups[1].Value, CultureInfo.InvariantCulture)).Skip(keepEpochs).Select(x => x.n));
        foreach (string name in doomed) File.Delete(Path.Combine(directory, name));
        return doomed;
    }

    [GeneratedRegex(@"^checkpoint_\d+_(\d+)\.pt$")]
    private static partial Regex IntervalPattern();

    [GeneratedRegex(@"^checkpoint(\d+)\.pt$")]
    private static partial Regex EpochPattern();
}
