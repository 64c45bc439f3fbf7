using System.Buffers.Binary;
using System.Diagnostics;
using Norton.Models.Serialization;
using Xunit;
using Xunit.Abstractions;

namespace Norton.Models.Tests.Serialization;

/// <summary>
/// Every fixture of testdata/readers mutated 200 times (seeded): truncation, bit flips, random header bytes, huge
/// length fields, a damaged zip directory. Each read must either succeed (a harmless byte was hit: pickles carry no
/// checksum) or fail with <see cref="SerializedDataException"/>, within 2 s and 256 MiB of managed allocations;
/// never another exception type, a hang or a crash.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 200;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private const long MemoryLimit = 256L << 20;

    public static TheoryData<string> Fixtures() => new(Directory.GetFiles(Path.GetDirectoryName(ReaderFixtures.Path("x"))!)
        .Select(Path.GetFileName).Where(n => n is not null && !n.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task MutatedFilesFailCleanly(string file)
    {
        byte[] original = File.ReadAllBytes(ReaderFixtures.Path(file));
        Func<Stream, object?> read = Reader(file);
        read(new MemoryStream(original)); // the intact file reads
        var rng = new Random(BinaryPrimitives.ReadInt32LittleEndian(System.Text.Encoding.UTF8.GetBytes(file.PadRight(4))));
        int failed = 0, loaded = 0;
        var slowest = TimeSpan.Zero;
        long mostBytes = 0;
        for (int k = 0; k < Mutations; k++)
        {
            byte[] bytes = Mutate(original, rng, k % 5);
            var watch = Stopwatch.StartNew();
            Exception? error = null;
            var task = Task.Run(() =>
            {
                long start = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    read(new MemoryStream(bytes));
                }
                catch (Exception e)
                {
                    error = e;
                }
                return GC.GetAllocatedBytesForCurrentThread() - start;
            });
            long allocated;
            try
            {
                allocated = await task.WaitAsync(Limit);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{file}, mutation {k} (kind {k % 5}): no answer within {Limit.TotalSeconds} s");
                return;
            }
            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            mostBytes = Math.Max(mostBytes, allocated);
            Assert.True(allocated < MemoryLimit, $"{file}, mutation {k}: allocated {allocated >> 20} MiB");
            if (error is null) loaded++;
            else if (error is SerializedDataException) failed++;
            else Assert.Fail($"{file}, mutation {k} (kind {k % 5}): {error.GetType().Name} instead of SerializedDataException: {error}");
        }
        output.WriteLine($"{file}: {failed} failed cleanly, {loaded} still readable; slowest {slowest.TotalMilliseconds:F0} ms, most allocated {mostBytes >> 10} KiB");
        Assert.Equal(Mutations, failed + loaded);
    }

    /// <summary>The reader a file's extension calls for; tensors are disposed at once.</summary>
    private static Func<Stream, object?> Reader(string file) => Path.GetExtension(file) switch
    {
        ".pt" or ".pth" => s =>
        {
            using var checkpoint = TorchCheckpointFile.Load(s, file);
            return checkpoint.Root;
        },
        ".npz" => s => NpzFile.Read(s, file),
        ".safetensors" => s =>
        {
            foreach (var t in SafetensorsFile.Load(s, file).Values) t.Dispose();
            return null;
        },
        _ => s => PickleReader.Read(s, null, file),
    };

    private static byte[] Mutate(byte[] original, Random rng, int kind)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (kind)
        {
            case 0: // truncation
                return bytes[..rng.Next(bytes.Length)];
            case 1: // bit flips
                for (int n = 1 + rng.Next(8); n > 0; n--) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                return bytes;
            case 2: // random header bytes
                for (int n = 1 + rng.Next(4); n > 0; n--) bytes[rng.Next(Math.Min(bytes.Length, 64))] = (byte)rng.Next(256);
                return bytes;
            case 3: // a huge length field somewhere
                int at = rng.Next(Math.Max(1, bytes.Length - 8));
                ulong huge = rng.Next(3) switch { 0 => 0xFFFFFFFFUL, 1 => 0x7FFFFFFFUL, _ => 0x7FFFFFFFFFFFFFFFUL };
                Span<byte> field = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(field, huge);
                field[..Math.Min(8, bytes.Length - at)].CopyTo(bytes.AsSpan(at));
                return bytes;
            default: // the zip directory (the last bytes of a zip; the end of any other file)
                int tail = Math.Min(bytes.Length, 22 + 46 * 4 + rng.Next(400));
                for (int n = 1 + rng.Next(4); n > 0; n--) bytes[bytes.Length - 1 - rng.Next(tail)] = (byte)rng.Next(256);
                return bytes;
        }
    }
}
