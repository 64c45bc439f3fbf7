using System.Text.RegularExpressions;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.Checkpoints;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Encoders;

/// <summary>
/// Builds a <see cref="VideoTextModel"/> that fits a state-dict file (what <see cref="CheckpointReader"/> reads) and
/// loads it strictly. The sizes come from the tensors' shapes: vocabulary, hidden width, layers, FFN width,
/// position and token-type tables of each tower, and the video-MLP input width; attention heads are
/// <c>hidden / 64</c> (BERT-base's head size; 12 for the original model).
/// </summary>
public static partial class ModelCheckpoint
{
    /// <summary>Reads <paramref name="path"/> and returns the loaded model (caller disposes it).</summary>
    /// <param name="path">A torch.save zip or safetensors state dict (fairseq files unwrap as the reader does).</param>
    /// <param name="maxVideoLength">The config's <c>max_video_len</c>.</param>
    /// <param name="device">Where the model's parameters live (CPU when null).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32); the checkpoint's tensors are cast to it.</param>
    /// <exception cref="CheckpointFormatException">Unreadable file, or keys the model cannot be sized from.</exception>
    /// <exception cref="CheckpointMismatchException">The keys do not fit the model.</exception>
    public static VideoTextModel Load(string path, int maxVideoLength, Device? device = null, ScalarType? dtype = null)
    {
        Dictionary<string, Tensor> state = CheckpointReader.ReadStateDict(path);
        try
        {
            VideoClipConfig config = InferConfig(state, path, maxVideoLength);
            var model = new VideoTextModel(config, device, dtype);
            try
            {
                CheckpointLoader.Load(model, state);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (Tensor t in state.Values) t.Dispose();
        }
    }

    /// <summary>The model sizes a state dict implies.</summary>
    /// <exception cref="CheckpointFormatException">A key needed for sizing is missing.</exception>
    public static VideoClipConfig InferConfig(IReadOnlyDictionary<string, Tensor> state, string path, int maxVideoLength)
    {
        ArgumentNullException.ThrowIfNull(state);
        long[] mlp = Shape(state, "video_encoder.videomlp.linear1.weight", path);
        return new VideoClipConfig(Bert(state, "video_encoder.bert.", path), Bert(state, "text_encoder.", path), maxVideoLength, (int)mlp[1]);
    }

    private static BertConfig Bert(IReadOnlyDictionary<string, Tensor> state, string prefix, string path)
    {
        long[] words = Shape(state, prefix + "embeddings.word_embeddings.weight", path);
        long[] positions = Shape(state, prefix + "embeddings.position_embeddings.weight", path);
        long[] types = Shape(state, prefix + "embeddings.token_type_embeddings.weight", path);
        long[] ffn = Shape(state, prefix + "encoder.layer.0.intermediate.dense.weight", path);
        var layer = LayerIndex();
        int layers = state.Keys.Where(k => k.StartsWith(prefix + "encoder.layer.", StringComparison.Ordinal))
            .Select(k => layer.Match(k[(prefix.Length + "encoder.layer.".Length)..]))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).Max() + 1;
        int hidden = (int)words[1];
        int heads = Math.Max(1, hidden / 64);
        return new BertConfig((int)words[0], hidden, layers, heads, (int)ffn[0], (int)positions[0], (int)types[0]);
    }

    private static long[] Shape(IReadOnlyDictionary<string, Tensor> state, string key, string path) =>
        state.TryGetValue(key, out Tensor? t) && t.dim() == 2
            ? t.shape
            : throw new CheckpointFormatException(path, $"no 2-D '{key}' to size the model from; expected a VideoCLIP/Norton state dict (video_encoder.*, text_encoder.*).");

    [GeneratedRegex(@"^(\d+)\.")]
    private static partial Regex LayerIndex();
}
