namespace Norton.Models.Serialization;

/// <summary>The two container formats of <c>torch.save</c>.</summary>
public enum TorchFileFormat
{
    /// <summary>The zip archive of PyTorch ≥ 1.6 (<c>archive/data.pkl</c> plus one record per storage).</summary>
    Zip,

    /// <summary>The older stream: magic number, protocol, sys info, the pickled object, storage keys, raw storages.</summary>
    Legacy,
}
