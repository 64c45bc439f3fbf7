namespace Norton.Training.Retrieval;

/// <summary>
/// The answer of <see cref="IvfFlatIndex.Search"/>, as faiss gives it: per query, the ids of the nearest stored
/// vectors in the query's list, nearest first, and their squared L2 distances; −1 and +∞ fill the places a short
/// list could not.
/// </summary>
/// <param name="Ids">Per query, k ids.</param>
/// <param name="Distances">Per query, k squared distances.</param>
public sealed record IvfSearchResult(long[][] Ids, float[][] Distances);
