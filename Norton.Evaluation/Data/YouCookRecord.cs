namespace Norton.Evaluation.Data;

/// <summary>One record of <c>youcook_val.pkl</c>: the clip id <c>&lt;video&gt;_&lt;k&gt;</c> and its stored caption.</summary>
/// <param name="Id">The clip id; k indexes the video's annotations.</param>
/// <param name="Caption">The pickled caption (unused with <c>use_annotation_text: true</c>).</param>
public sealed record YouCookRecord(string Id, string? Caption)
{
    /// <summary>The video id: the id up to its last underscore.</summary>
    public string VideoId => Id[..Id.LastIndexOf('_')];

    /// <summary>The annotation index: the number after the last underscore.</summary>
    public int ClipIndex => int.Parse(Id[(Id.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
