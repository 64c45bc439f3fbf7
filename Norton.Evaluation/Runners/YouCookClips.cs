using Norton.Evaluation.Data;

namespace Norton.Evaluation.Runners;

/// <summary>
/// The original's <c>YoucookMetaProcessor</c>: the records of <c>youcook_val.pkl</c> whose video has a feature file,
/// each with its annotated step (segment and sentence, <c>use_annotation_text: true</c>).
/// </summary>
internal static class YouCookClips
{
    public static IReadOnlyList<(YouCookRecord Record, YouCookStep Step)> Read(string splitPath, string annotationPath, FeatureFolder features)
    {
        IReadOnlyList<YouCookRecord> records = YouCookSplit.Read(splitPath);
        var annotations = YouCookAnnotations.Read(annotationPath);
        var clips = new List<(YouCookRecord, YouCookStep)>();
        foreach (YouCookRecord record in records)
        {
            string video = record.VideoId;
            if (!features.Contains(video)) continue;
            if (!annotations.TryGetValue(video, out var steps))
                throw new InvalidDataException($"{annotationPath}: no annotations for video '{video}' (record {record.Id} of {splitPath}).");
            int k = record.ClipIndex;
            if (k < 0 || k >= steps.Count)
                throw new InvalidDataException($"{annotationPath}: video '{video}' has {steps.Count} annotations; record {record.Id} of {splitPath} asks for number {k}.");
            clips.Add((record, steps[k]));
        }
        return clips;
    }
}
