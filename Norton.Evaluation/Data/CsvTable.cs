using System.Text;

namespace Norton.Evaluation.Data;

/// <summary>Reads the MSR-VTT tables: a header row, then one row per line; fields may be double-quoted.</summary>
internal static class CsvTable
{
    /// <summary>The rows as header → value maps, checking the required columns.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path, char separator, params string[] required)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"annotation file {path} not found.", path);
        string[] lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
            throw new InvalidDataException($"{path}: empty; expected a header row with {string.Join(", ", required)}.");
        string[] header = Split(lines[0], separator);
        foreach (string column in required)
            if (!header.Contains(column))
                throw new InvalidDataException($"{path}: expected a column '{column}' in the header, found {string.Join(", ", header)}.");
        var rows = new List<IReadOnlyDictionary<string, string>>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = Split(lines[i], separator);
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{path}: line {i + 1} has {fields.Length} fields, the header {header.Length}.");
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < header.Length; c++) row[header[c]] = fields[c];
            rows.Add(row);
        }
        return rows;
    }

    private static string[] Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == separator) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
