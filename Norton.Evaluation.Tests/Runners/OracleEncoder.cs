using Norton.Evaluation.Encoders;
using Norton.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// An encoder whose answers are known: a video slot's token is its feature row (zero on padded slots and on
/// [CLS]/[SEP]), the pooled video is the L2-normalised mean of the valid rows, and a caption's vector is whatever
/// the test assigned to its text (looked up by the decoded words).
/// </summary>
internal sealed class OracleEncoder(int inputDim) : IZeroShotEncoder
{
    private static readonly Scalar One = 1.0;
    private readonly Dictionary<string, float[]> _texts = new(StringComparer.Ordinal);

    public int InputDim => inputDim;

    public int TextCalls { get; private set; }

    public int VideoCalls { get; private set; }

    /// <summary>Assigns a vector to a caption text (lowercase words separated by single spaces).</summary>
    public void SetText(string text, float[] vector)
    {
        string key = Normalise(text);
        if (_texts.TryGetValue(key, out float[]? existing) && !existing.SequenceEqual(vector))
            throw new InvalidOperationException($"caption '{key}' was assigned two different vectors.");
        _texts[key] = vector;
    }

    public Tensor EncodeText(Tensor caps, Tensor cmasks)
    {
        TextCalls++;
        var tokenizer = BertWordPieceTokenizer.BertBaseUncased;
        long n = caps.shape[0];
        var rows = new float[n * inputDim];
        for (long i = 0; i < n; i++)
        {
            string text = Normalise(tokenizer.Decode(caps[i].data<long>().ToArray(), skipSpecialTokens: true));
            float[] v = _texts.TryGetValue(text, out float[]? exact) ? exact
                : _texts.Where(kv => kv.Key.StartsWith(text + " ", StringComparison.Ordinal)).Select(kv => kv.Value).SingleOrDefault()
                  ?? throw new InvalidOperationException($"no vector assigned to caption '{text}'.");
            Array.Copy(v, 0, rows, i * inputDim, inputDim);
        }
        return tensor(rows, new[] { n, (long)inputDim });
    }

    public (Tensor Pooled, Tensor Tokens) EncodeVideo(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks)
    {
        VideoCalls++;
        using var scope = NewDisposeScope();
        Tensor mask = vmasks.to(ScalarType.Float32).unsqueeze(2);
        Tensor rows = vfeats.mul(mask);
        Tensor mean = rows.sum(1).div(mask.sum(1).clamp_min(One));
        Tensor pooled = nn.functional.normalize(mean, dim: 1);
        long n = vfeats.shape[0];
        Tensor edge = zeros(n, 1, vfeats.shape[2]);
        Tensor tokens = cat(new[] { edge, rows, edge }, 1);
        return (pooled.MoveToOuterDisposeScope(), tokens.MoveToOuterDisposeScope());
    }

    public static float[] Normalised(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    public static float[] OneHot(int dim, int k)
    {
        var v = new float[dim];
        v[k] = 1f;
        return v;
    }

    private static string Normalise(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
