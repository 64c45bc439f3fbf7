using System.Text;

namespace Norton.Training.Corpus;

/// <summary>
/// Writes a corpus's <c>{train,val}_meta.pkl</c>: a dict <c>shard id → [video ids]</c> as a protocol-2 pickle, which
/// the original's <c>pickle.load</c> and <see cref="Norton.Models.Data.ShardMeta.Read"/> both read.
/// </summary>
public static class MetaPickleWriter
{
    /// <summary>Writes <paramref name="shards"/> to <paramref name="path"/> (a temporary file, then renamed).</summary>
    /// <exception cref="ArgumentException">A null id list or id.</exception>
    public static void Write(string path, IReadOnlyDictionary<int, IReadOnlyList<string>> shards)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shards);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            var w = new BinaryWriter(stream, Encoding.UTF8);
            w.Write(new byte[] { 0x80, 2 });                 // PROTO 2
            w.Write((byte)'}');                               // EMPTY_DICT
            if (shards.Count > 0)
            {
                w.Write((byte)'(');                           // MARK
                foreach (var (shard, ids) in shards.OrderBy(kv => kv.Key))
                {
                    if (ids is null) throw new ArgumentException($"shard {shard} has no id list.", nameof(shards));
                    w.Write((byte)'J');                       // BININT: 4-byte signed key
                    w.Write(shard);                           // BinaryWriter is little-endian
                    w.Write((byte)']');                       // EMPTY_LIST
                    if (ids.Count > 0)
                    {
                        w.Write((byte)'(');                   // MARK
                        foreach (string id in ids)
                        {
                            byte[] utf8 = Encoding.UTF8.GetBytes(id ?? throw new ArgumentException($"shard {shard}: a null video id.", nameof(shards)));
                            w.Write((byte)'X');               // BINUNICODE: 4-byte length + UTF-8
                            w.Write((uint)utf8.Length);
                            w.Write(utf8);
                        }
                        w.Write((byte)'e');                   // APPENDS
                    }
                }
                w.Write((byte)'u');                           // SETITEMS
            }
            w.Write((byte)'.');                               // STOP
            w.Flush();
        }
        File.Move(temporary, path, overwrite: true);
    }
}
