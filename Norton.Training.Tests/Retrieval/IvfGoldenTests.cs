using System.Text.Json;
using Norton.Training.Retrieval;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Retrieval;

/// <summary>
/// The IVF index against faiss 1.7.3 building and querying the original's index: with faiss's centroids, the same
/// lists, neighbours and candidate lists; our own k-means within the case's objective tolerance of faiss's.
/// </summary>
public class IvfGoldenTests
{
    public static TheoryData<string> Cases => GoldenFolders.Cases("retrieval");

    private static JsonElement Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    private static Tensor Matrix(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray()).ToArray();
        return tensor(data.SelectMany(r => r).ToArray(), new long[] { data.Length, data[0].Length });
    }

    private static long[] Longs(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();

    [Fact]
    public void ThereAreGoldenCases() => Assert.NotEmpty(GoldenFolders.Files("retrieval"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithFaissCentroidsListsNeighboursAndCandidatesMatch(string path)
    {
        var golden = Load(path);
        using var scope = NewDisposeScope();
        var vectors = Matrix(golden.GetProperty("vectors"));
        using var index = IvfFlatIndex.FromCentroids(Matrix(golden.GetProperty("centroids")));
        index.Add(vectors);
        Assert.Equal(Longs(golden.GetProperty("vector_lists")), index.Lists.ToArray());

        long[] queries = Longs(golden.GetProperty("queries"));
        int k = golden.GetProperty("retri_factor").GetInt32();
        var found = index.Search(vectors.index_select(0, tensor(queries)), k);
        var expectedIds = golden.GetProperty("search_ids").EnumerateArray().Select(Longs).ToArray();
        var expectedDistances = golden.GetProperty("search_distances").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        var expectedCandidates = golden.GetProperty("candidates").EnumerateArray().Select(Longs).ToArray();
        for (int q = 0; q < queries.Length; q++)
        {
            Assert.Equal(expectedIds[q], found.Ids[q]);
            for (int j = 0; j < k; j++)
                if (expectedIds[q][j] >= 0)
                    Assert.True(Math.Abs(expectedDistances[q][j] - found.Distances[q][j]) <= 1e-5 * Math.Max(1, expectedDistances[q][j]),
                        $"query {q}, neighbour {j}: distance {found.Distances[q][j]}, faiss {expectedDistances[q][j]}");
            Assert.Equal(expectedCandidates[q], RetrievalBatchPlanner.CandidateList(queries[q], found.Ids[q]));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OurKMeansReachesFaisssObjective(string path)
    {
        var golden = Load(path);
        using var scope = NewDisposeScope();
        int trainCount = golden.GetProperty("train_threshold").GetInt32(), k = golden.GetProperty("centroids_count").GetInt32();
        var train = Matrix(golden.GetProperty("vectors")).narrow(0, 0, trainCount);
        var centroids = KMeans.Train(train, k);
        double ours = KMeans.Objective(train, centroids);
        double faiss = golden.GetProperty("faiss_kmeans_objective").GetDouble(), tolerance = golden.GetProperty("objective_tolerance").GetDouble();
        // faiss's recorded objective, recomputed from its centroids, must agree with ours of the same definition.
        Assert.Equal(faiss, KMeans.Objective(train, Matrix(golden.GetProperty("centroids"))), 3);
        Assert.True(ours <= faiss * (1 + tolerance), $"k-means objective {ours}, faiss {faiss} (+{tolerance:P0} allowed)");
    }
}
