namespace Norton.Training.Config;

/// <summary>The known key closest to a misspelt one (Levenshtein distance), for "did you mean" messages.</summary>
internal static class NearestKey
{
    public static string Find(string unknown, IEnumerable<string> known) =>
        known.OrderBy(k => Distance(unknown, k)).ThenBy(k => k, StringComparer.Ordinal).First();

    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
