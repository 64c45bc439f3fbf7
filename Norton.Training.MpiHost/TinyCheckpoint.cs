using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.MpiHost;

/// <summary>A minimal checkpoint of <see cref="TinyTraining"/>: the update count, every parameter and every velocity
/// as raw float32, written to a temporary file and renamed so a crash never leaves a torn checkpoint.</summary>
public static class TinyCheckpoint
{
    public static void Save(string path, int updates, nn.Module model, IReadOnlyList<Tensor> velocity)
    {
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(updates);
            foreach (var t in model.parameters().Cast<Tensor>().Concat(velocity))
                foreach (float v in t.data<float>().ToArray()) writer.Write(v);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the tensors in place; returns the update count.</summary>
    public static int Load(string path, nn.Module model, IReadOnlyList<Tensor> velocity)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int updates = reader.ReadInt32();
        using var noGrad = no_grad();
        foreach (var t in model.parameters().Cast<Tensor>().Concat(velocity))
        {
            var values = new float[t.numel()];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
            using var source = tensor(values, t.shape);
            t.copy_(source);
        }
        if (reader.BaseStream.Position != reader.BaseStream.Length)
            throw new InvalidDataException($"checkpoint '{path}' has {reader.BaseStream.Length - reader.BaseStream.Position} bytes more than the model needs.");
        return updates;
    }
}
