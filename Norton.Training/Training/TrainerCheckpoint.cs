using System.Text.Json;
using Norton.Models;
using Norton.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training;

/// <summary>The counters and data position a checkpoint stores beside the tensors.</summary>
internal sealed record CheckpointHeader
{
    public required string ModelSignature { get; init; }
    public required string Precision { get; init; }
    public required long Update { get; init; }
    public required int Epoch { get; init; }
    public required int BatchIndex { get; init; }
    public required List<List<string>>? Plan { get; init; }
    public required ulong DataRandomState { get; init; }
    public required double? BestValidationLoss { get; init; }
    public required double LossScale { get; init; }
    public required int CleanUpdates { get; init; }

    /// <summary>The number of processes that wrote it (1 before data-parallel training; BatchIndex counts steps of
    /// that many batches).</summary>
    public int WorldSize { get; init; } = 1;
}

/// <summary>
/// The trainer's checkpoint file: a header (counters, the epoch's batch plan and the position in it, the random
/// sources), torch's default generator state (dropout), the model's state dict and the optimiser state. Written to a
/// temporary file in the same folder and renamed over the target, so that an interrupted save (a full disk, a kill)
/// leaves the previous checkpoint intact.
/// </summary>
internal static class TrainerCheckpoint
{
    private const string Magic = "NORTON-TRAINER-CHECKPOINT";
    private const int Version = 1;

    /// <summary>A string that differs between models whose state dicts differ in shape.</summary>
    public static string Signature(VideoTextModel model)
    {
        var c = model.Config;
        return $"video {c.Video.NumHiddenLayers}x{c.Video.HiddenSize} (heads {c.Video.NumAttentionHeads}, ffn {c.Video.IntermediateSize}, vocab {c.Video.VocabSize}, positions {c.Video.MaxPositionEmbeddings}), " +
               $"text {c.Text.NumHiddenLayers}x{c.Text.HiddenSize} (heads {c.Text.NumAttentionHeads}, ffn {c.Text.IntermediateSize}, vocab {c.Text.VocabSize}, positions {c.Text.MaxPositionEmbeddings}), " +
               $"input {c.InputDim}, max_video_len {c.MaxVideoLen}";
    }

    public static void Save(string path, CheckpointHeader header, VideoTextModel model, TrainerOptimizer optimizer)
    {
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(JsonSerializer.Serialize(header));
                using (var rng = torch.Generator.Default.get_state()) rng.Save(writer);
                var state = model.state_dict();
                writer.Write(state.Count);
                foreach (var (name, tensor) in state)
                {
                    writer.Write(name);
                    tensor.detach().Save(writer);
                }
                optimizer.Save(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Reads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>; returns its header.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a trainer checkpoint, truncated, or written for another model size
    /// or precision; the message names the file.</exception>
    public static CheckpointHeader Load(string path, VideoTextModel model, TrainerOptimizer optimizer, string precision)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException($"'{path}' is not a Norton trainer checkpoint (to start from a VideoCLIP state dict, pass it as the initial checkpoint instead).");
            int version = reader.ReadInt32();
            if (version != Version)
                throw new InvalidDataException($"'{path}' has checkpoint format {version}; this build reads format {Version}.");
            var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString())
                ?? throw new InvalidDataException($"'{path}' has an empty header.");
            string expected = Signature(model);
            if (header.ModelSignature != expected)
                throw new InvalidDataException($"'{path}' was written for another model size: {header.ModelSignature}; this run's model is {expected}.");
            if (header.Precision != precision)
                throw new InvalidDataException($"'{path}' was written by a {header.Precision} run; this run is {precision}.");
            using var rng = TensorExtensionMethods.Load(reader);
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                tensors[name] = TensorExtensionMethods.Load(reader);
            }
            CheckpointLoader.Load(model, tensors);
            optimizer.Load(reader);
            torch.Generator.Default.set_state(rng);
            return header;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' ends early: the checkpoint is truncated.", e);
        }
        catch (CheckpointMismatchException e)
        {
            throw new InvalidDataException($"'{path}' does not fit this model: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has a corrupt header: {e.Message}", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The save already failed; the original exception says why.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
