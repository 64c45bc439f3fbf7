using System.Globalization;
using Norton.Training.Sampling;

namespace Norton.Training.Corpus;

/// <summary>
/// Writes a synthetic pretraining corpus with the noise of long instructional videos (the demo's world at corpus
/// scale): a vocabulary of latent steps, each a feature direction and a phrase; a video is a sequence of step
/// segments with per-second noisy, L2-normalised features; each segment has one caption. Noise at three granularities:
/// misaligned videos (captions shifted by one segment), irrelevant captions, and background seconds. Captions are real
/// English phrases, tokenised with bert-base-uncased by <see cref="CorpusWriter"/>. Same seed, same corpus.
/// </summary>
public static class SyntheticCorpus
{
    private static readonly string[] Verbs =
        { "add", "cut", "mix", "pour", "stir", "heat", "bake", "fry", "boil", "chop", "slice", "wash", "peel", "fold", "press", "roll", "spread", "place", "remove", "cover", "paint", "sand", "drill", "glue" };

    private static readonly string[] Nouns =
        { "salt", "pepper", "onion", "garlic", "butter", "flour", "sugar", "egg", "milk", "water", "oil", "pan", "bowl", "dough", "sauce", "cheese", "tomato", "potato", "rice", "bread", "chicken", "fish", "lemon", "wood", "nail", "screw", "tape", "wheel", "tire", "brush", "paper", "board", "wire" };

    private static readonly string[] Fillers = { "so", "now", "okay", "right", "well", "just", "then", "you", "know", "like" };

    /// <summary>Writes <paramref name="videos"/> videos to <paramref name="folder"/> and returns their ids.</summary>
    /// <param name="folder">Target folder (created if needed).</param>
    /// <param name="videos">Number of videos.</param>
    /// <param name="seed">Everything random derives from it.</param>
    /// <param name="options">Sizes and noise (the defaults when null).</param>
    /// <param name="pretokenizer">Caption tokenisation (bert-base-uncased when null).</param>
    public static IReadOnlyList<string> Write(string folder, int videos, ulong seed, SyntheticCorpusOptions? options = null,
        CaptionPretokenizer? pretokenizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(videos, 1);
        options = (options ?? new SyntheticCorpusOptions()).Validate();
        var random = new SplitMix64(seed);
        int dim = options.FeatureDim;
        var directions = new float[options.Steps][];
        for (int k = 0; k < options.Steps; k++) directions[k] = UnitVector(random, dim);
        float[] backgroundDirection = UnitVector(random, dim);
        var phrases = Enumerable.Range(0, options.Steps).Select(k =>
            $"{Verbs[k % Verbs.Length]} the {Nouns[(k * 7 + k / Verbs.Length) % Nouns.Length]} with {Nouns[(k * 11 + 3) % Nouns.Length]}").ToArray();

        var ids = new List<string>(videos);
        using var writer = new CorpusWriter(folder, options.Layout, pretokenizer);
        var features = new List<float>();
        for (int v = 0; v < options.SkipVideos + videos; v++)
        {
            string id = "synth" + v.ToString("D6", CultureInfo.InvariantCulture);
            int seconds = (int)random.RandInt(options.MinSeconds, options.MaxSeconds);
            var segments = new List<(int Start, int End, int Step)>();
            for (int t = 0; t < seconds;)
            {
                int length = (int)Math.Min(random.RandInt(options.MinSegmentSeconds, options.MaxSegmentSeconds), seconds - t);
                segments.Add((t, t + length, (int)random.RandInt(0, options.Steps - 1)));
                t += length;
            }
            features.Clear();
            var row = new float[dim];
            foreach (var (start, end, step) in segments)
                for (int t = start; t < end; t++)
                {
                    var signal = random.Random() < options.Background ? backgroundDirection : directions[step];
                    double norm = 0;
                    for (int i = 0; i < dim; i++)
                    {
                        row[i] = (float)(signal[i] + options.FeatureNoise * Gaussian(random) / Math.Sqrt(dim));
                        norm += row[i] * (double)row[i];
                    }
                    float scale = (float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)));
                    for (int i = 0; i < dim; i++) features.Add(row[i] * scale);
                }

            int shift = random.Random() < options.Shifted ? (random.Random() < 0.5 ? -1 : 1) : 0;
            var captions = new List<TimedCaption>(segments.Count);
            for (int s = 0; s < segments.Count; s++)
            {
                int described = Math.Clamp(s - shift, 0, segments.Count - 1);
                string text = random.Random() < options.Irrelevant
                    ? $"{Verbs[random.RandInt(0, Verbs.Length - 1)]} some {Nouns[random.RandInt(0, Nouns.Length - 1)]}"
                    : phrases[segments[described].Step];
                string filler = Fillers[random.RandInt(0, Fillers.Length - 1)];
                double jitter = random.Random();
                captions.Add(new TimedCaption(segments[s].Start + jitter, segments[s].End + jitter, $"{filler} {text}"));
            }
            if (v < options.SkipVideos) continue;
            writer.Add(id, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(features), dim, captions);
            ids.Add(id);
        }
        writer.Complete();
        return ids;
    }

    private static float[] UnitVector(IRandomSource random, int dim)
    {
        var v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++)
        {
            v[i] = (float)Gaussian(random);
            norm += v[i] * (double)v[i];
        }
        float scale = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < dim; i++) v[i] *= scale;
        return v;
    }

    private static double Gaussian(IRandomSource random)
    {
        double u = 1.0 - random.Random(), w = random.Random();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * w);
    }
}
