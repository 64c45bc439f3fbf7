using Norton.Core.Validation;
namespace Norton.Training.Retrieval;

/// <summary>Settings of <see cref="KMeans"/>.</summary>
public sealed record KMeansOptions
{
    /// <summary>Lloyd iterations (faiss trains an IVF quantiser with 10; more cost time, rarely objective).</summary>
    public int Iterations { get; init; } = 12;

    /// <summary>Seeds the choice of the initial centroids (distinct training vectors, as faiss does).</summary>
    public ulong Seed { get; init; } = 1234;

    /// <summary>k-means++ seeding runs on a random subsample of this many vectors per centroid (all when fewer).</summary>
    public int SeedingSamplesPerCentroid { get; init; } = 4;

    /// <summary>Independent runs; the one of lowest objective is kept (faiss's <c>nredo</c>).</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>Vectors per distance block: bounds the temporary memory to <c>ChunkRows x k</c> floats.</summary>
    public int ChunkRows { get; init; } = 8192;

    /// <summary>Throws unless the settings make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive setting.</exception>
    public KMeansOptions Validate()
    {
        if (Iterations < 1) throw Guard.OutOfRange(nameof(Iterations), Iterations, "be > 0");
        if (Restarts < 1) throw Guard.OutOfRange(nameof(Restarts), Restarts, "be > 0");
        if (SeedingSamplesPerCentroid < 1) throw Guard.OutOfRange(nameof(SeedingSamplesPerCentroid), SeedingSamplesPerCentroid, "be > 0");
        if (ChunkRows < 1) throw Guard.OutOfRange(nameof(ChunkRows), ChunkRows, "be > 0");
        return this;
    }
}
