namespace Norton.Cli.Evaluate;

/// <summary>What <c>norton evaluate</c> was asked to do.</summary>
/// <param name="ConfigPath">The test config.</param>
/// <param name="Checkpoint">One state-dict file, or null.</param>
/// <param name="CheckpointFolder">A folder of checkpoints, or null.</param>
/// <param name="DataDirectory">The folder the config's paths are relative to.</param>
/// <param name="OutputDirectory">Where results.json and plots go.</param>
/// <param name="Plots">Whether to draw plots.</param>
/// <param name="Device">Where the towers run: "cpu" or "cuda".</param>
internal sealed record EvaluateOptions(
    string ConfigPath, string? Checkpoint, string? CheckpointFolder, string DataDirectory, string OutputDirectory, bool Plots,
    string Device = "cpu")
{
    /// <summary>The torch device for <see cref="Device"/>.</summary>
    /// <exception cref="ArgumentException">--device cuda where this process has no CUDA device.</exception>
    public TorchSharp.torch.Device TorchDevice() => Device switch
    {
        "cpu" => TorchSharp.torch.CPU,
        "cuda" when TorchSharp.torch.cuda.is_available() => TorchSharp.torch.CUDA,
        "cuda" => throw new ArgumentException("--device cuda: no CUDA device is available to this process (the norton tool ships the CPU backend)."),
        _ => throw new ArgumentException($"--device must be cpu or cuda, but is '{Device}'."),
    };

    /// <summary>The checkpoint files to evaluate, in name order.</summary>
    /// <exception cref="ArgumentException">Both or neither of --checkpoint and --checkpoints, or an empty folder.</exception>
    public IReadOnlyList<string> CheckpointFiles()
    {
        if ((Checkpoint is null) == (CheckpointFolder is null))
            throw new ArgumentException("give exactly one of --checkpoint FILE or --checkpoints DIR.");
        if (Checkpoint is not null)
            return new[] { Checkpoint };
        if (!Directory.Exists(CheckpointFolder))
            throw new DirectoryNotFoundException($"checkpoint folder {CheckpointFolder} not found.");
        var files = Directory.GetFiles(CheckpointFolder!, "checkpoint*.pt").Concat(Directory.GetFiles(CheckpointFolder!, "checkpoint*.safetensors"))
            .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        return files.Length > 0
            ? files
            : throw new ArgumentException($"no checkpoint*.pt or checkpoint*.safetensors in {CheckpointFolder}.");
    }
}
