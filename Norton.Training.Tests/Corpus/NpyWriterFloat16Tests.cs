using Norton.Training.Corpus;
using Norton.Training.Tests.Extraction;
using Xunit;

namespace Norton.Training.Tests.Corpus;

public sealed class NpyWriterFloat16Tests
{
    [Theory]
    [InlineData(3, 512)]
    [InlineData(0, 512)]
    [InlineData(1, 1)]
    [InlineData(1000, 7)]
    public void WritesTheNumpyLayoutAndValues(int rows, int columns)
    {
        string path = Path.Combine(Path.GetTempPath(), $"npy-{Guid.NewGuid():N}.npy");
        try
        {
            var values = Enumerable.Range(0, rows * columns).Select(i => (Half)((i % 97 - 48) / 16.0)).ToArray();
            NpyWriter.WriteFloat16(path, values, rows, columns);
            var (header, r, c, read) = NpyTestReader.ReadFloat16(path);
            Assert.Equal(rows, r);
            Assert.Equal(columns, c);
            Assert.StartsWith($"{{'descr': '<f2', 'fortran_order': False, 'shape': ({rows}, {columns}), }}", header);
            Assert.Equal(NpyWriter.HeaderLength + 2L * rows * columns, new FileInfo(path).Length);
            Assert.Equal(values.Select(v => (float)v), read);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrongValueCountIsRejected() =>
        Assert.Throws<ArgumentException>(() => NpyWriter.WriteFloat16("unused.npy", new Half[5], 2, 3));
}
