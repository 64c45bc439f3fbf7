using Norton.Core.Validation;
using System.Numerics;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// Reads <c>torch.save</c> files (the zip format of PyTorch ≥ 1.6 and the legacy stream format before it, any pickle
/// protocol) into TorchSharp tensors and plain .NET values, without Python and without running code from the file.
/// </summary>
/// <remarks>
/// Tensors are views of their file's storages, as <c>torch.load</c> makes them: tensors that shared a storage still
/// share it. Storage sizes are checked against the file before anything is allocated, and every zip record's CRC-32 is
/// verified. Other Python objects (fairseq's argparse.Namespace, meters, …) become inert <see cref="PickleObject"/>s.
/// </remarks>
public static class TorchCheckpointFile
{
    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="SerializedDataException">Truncated, corrupt, over a limit, or not a torch.save file.</exception>
    public static TorchCheckpoint Load(string path, PickleReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "checkpoint file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(stream, path, options);
    }

    /// <summary>Reads a torch.save file from a seekable stream.</summary>
    /// <exception cref="SerializedDataException">Truncated, corrupt, over a limit, or not a torch.save file.</exception>
    public static TorchCheckpoint Load(Stream stream, string sourceName, PickleReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw Guard.Argument(nameof(stream), "be seekable", "CanSeek is false");
        var head = new byte[4];
        stream.Position = 0;
        int got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        var created = new List<Tensor>();
        try
        {
            if (ZipStore.LooksLikeZip(head.AsSpan(0, got))) return LoadZip(stream, sourceName, options, created);
            if (got >= 2 && head[0] == 0x80) return LoadLegacy(stream, sourceName, options, created);
            throw new SerializedDataException(sourceName, got < 4
                ? $"only {stream.Length} bytes: the file is empty or truncated"
                : "neither a torch.save zip archive nor a legacy torch.save file (they start with PK\\x03\\x04 or a pickle)");
        }
        catch (Exception e) when (e is not SerializedDataException and not OutOfMemoryException)
        {
            foreach (var t in created) t.Dispose();
            throw new SerializedDataException(sourceName, $"unreadable torch.save file ({e.GetType().Name}: {e.Message})", e);
        }
        catch
        {
            foreach (var t in created) t.Dispose();
            throw;
        }
    }

    private static TorchCheckpoint LoadZip(Stream stream, string source, PickleReaderOptions? options, List<Tensor> created)
    {
        var zip = ZipStore.Open(stream, source);
        var pickles = zip.Records.Where(r => r.Name.EndsWith("/data.pkl", StringComparison.Ordinal) && r.Name.IndexOf('/') == r.Name.Length - 9).ToList();
        if (pickles.Count != 1)
            throw new SerializedDataException(source, $"a torch.save archive has one '<name>/data.pkl' record; this one has {pickles.Count}");
        string prefix = pickles[0].Name[..^"data.pkl".Length];
        var byteOrder = zip.Records.FirstOrDefault(r => r.Name == prefix + "byteorder");
        var read = new HashSet<string>(StringComparer.Ordinal) { pickles[0].Name };
        if (byteOrder is not null)
        {
            string order = System.Text.Encoding.ASCII.GetString(zip.ReadAll(byteOrder, 16));
            read.Add(byteOrder.Name);
            if (order != "little") throw new SerializedDataException(source, $"the archive's byte order is '{order}'; only little-endian files are supported");
        }
        var byName = zip.Records.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        byte[] pickle = zip.ReadAll(pickles[0], pickles[0].Size);
        object? PersistentLoad(object? id)
        {
            if (id is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal cls || t[2] is not string key || t[4] is not long numel || numel < 0)
                throw new SerializedDataException(source, $"unexpected persistent id {PickleMachine.Describe(id)}: expected ('storage', type, key, location, numel)");
            var dtype = TorchStorage.TypeOf(cls) ?? throw new SerializedDataException(source, $"storage type {cls.FullName} is not supported");
            if (storages.TryGetValue(key, out var known))
                return known.DType == dtype ? known : throw new SerializedDataException(source, $"storage '{key}' is named with two types");
            if (!byName.TryGetValue(prefix + "data/" + key, out var record))
                throw new SerializedDataException(source, $"storage '{key}' has no record '{prefix}data/{key}'");
            int size = TorchStorage.ElementSize(dtype);
            if (numel > record.Size / size || numel * size != record.Size)
                throw new SerializedDataException(source, $"storage '{key}' declares {numel} elements of {size} bytes, but its record has {record.Size} bytes");
            Tensor data;
            if (record.Method == 0)
            {
                data = empty(numel, dtype);
                created.Add(data);
                zip.ReadInto(record, data, size);
            }
            else
            {
                // Deflated (TorchSharp.PyBridge writes such files): inflate first, so that a small record claiming a
                // huge size fails on its real length before the storage is allocated.
                byte[] bytes = zip.ReadAll(record, record.Size);
                data = empty(numel, dtype);
                created.Add(data);
                if (bytes.Length > 0) data.bytes = bytes;
            }
            read.Add(record.Name);
            var storage = new TorchStorage(data, key) { Filled = true };
            storages[key] = storage;
            return storage;
        }
        object? root = PickleReader.Run(new PickleInput(new MemoryStream(pickle, writable: false), source), options, PersistentLoad, created);
        zip.VerifyRest(read);
        return new TorchCheckpoint(source, root, TorchFileFormat.Zip, created);
    }

    private static TorchCheckpoint LoadLegacy(Stream stream, string source, PickleReaderOptions? options, List<Tensor> created)
    {
        var input = new PickleInput(stream, source);
        var plain = new PickleReaderOptions(Strict: true);
        object? magic = PickleReader.Run(input, plain, null, created);
        if (!(magic is BigInteger m && m == LegacyMagic))
            throw new SerializedDataException(source, "a pickle, but not a torch.save file (the legacy format starts with the magic number 0x1950a86a20f9469cfc6c)");
        if (PickleReader.Run(input, plain, null, created) is not long protocol || protocol != 1001)
            throw new SerializedDataException(source, "legacy torch.save file with an unknown protocol version (expected 1001)");
        if (PickleReader.Run(input, plain, null, created) is not Dictionary<object, object?> sysInfo || !(sysInfo.TryGetValue("little_endian", out object? le) && le is true))
            throw new SerializedDataException(source, "legacy torch.save file: the sys info is missing or says big-endian; only little-endian files are supported");

        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        long declared = 0;
        object? PersistentLoad(object? id)
        {
            if (id is object?[] { Length: >= 1 } m0 && m0[0] is "module") return m0.Length > 1 ? m0[1] : null;
            if (id is not object?[] { Length: 6 } t || t[0] is not "storage" || t[1] is not PickleGlobal cls || t[2] is not string key || t[4] is not long numel || numel < 0)
                throw new SerializedDataException(source, $"unexpected persistent id {PickleMachine.Describe(id)}: expected ('storage', type, key, location, numel, view)");
            var dtype = TorchStorage.TypeOf(cls) ?? throw new SerializedDataException(source, $"storage type {cls.FullName} is not supported");
            int size = TorchStorage.ElementSize(dtype);
            if (!storages.TryGetValue(key, out var root))
            {
                // The raw storages follow the pickle, so together they cannot be larger than the rest of the file.
                if (numel > (input.Remaining - declared) / size)
                    throw new SerializedDataException(source, $"storage '{key}' declares {numel} elements of {size} bytes, more than the {input.Remaining - declared} bytes left in the file");
                declared += numel * size;
                var data = empty(numel, dtype);
                created.Add(data);
                root = new TorchStorage(data, key);
                storages[key] = root;
            }
            else if (root.DType != dtype || root.Numel != numel)
                throw new SerializedDataException(source, $"storage '{key}' is declared twice with different types or sizes");
            if (t[5] is null) return root;
            if (t[5] is not object?[] { Length: 3 } view || view[0] is not string viewKey || view[1] is not long offset || view[2] is not long viewSize
                || offset < 0 || viewSize < 0 || offset > numel - viewSize)
                throw new SerializedDataException(source, $"storage '{key}': malformed view (view key, offset, size) inside {numel} elements");
            var slice = root.Data.narrow(0, offset, viewSize);
            created.Add(slice);
            return new TorchStorage(slice, viewKey) { Filled = true };
        }
        object? result = PickleReader.Run(input, options, PersistentLoad, created);
        if (PickleReader.Run(input, plain, null, created) is not List<object?> keys || keys.Any(k => k is not string))
            throw new SerializedDataException(source, "legacy torch.save file: the list of storage keys is missing");
        foreach (string key in keys.Cast<string>())
        {
            if (!storages.TryGetValue(key, out var storage)) throw new SerializedDataException(source, $"storage key '{key}' was never declared");
            if (storage.Filled) throw new SerializedDataException(source, $"storage '{key}' is listed twice");
            long numel = input.ReadInt64();
            if (numel != storage.Numel) throw new SerializedDataException(source, $"storage '{key}' holds {numel} elements in the data section, {storage.Numel} in the pickle");
            ZipStore.ReadTensorBytes(stream, storage.Data, TorchStorage.ElementSize(storage.DType), source, $"storage '{key}'");
            storage.Filled = true;
        }
        var missing = storages.Values.Where(s => !s.Filled).Select(s => s.Key).ToList();
        if (missing.Count > 0) throw new SerializedDataException(source, $"storages without data: {string.Join(", ", missing.Take(5))}");
        return new TorchCheckpoint(source, result, TorchFileFormat.Legacy, created);
    }
}
