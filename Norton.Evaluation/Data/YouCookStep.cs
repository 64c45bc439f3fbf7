namespace Norton.Evaluation.Data;

/// <summary>One annotated step of a YouCook2 video: its segment in seconds and its sentence.</summary>
/// <param name="Start">Segment start (integer seconds in YouCook2).</param>
/// <param name="End">Segment end.</param>
/// <param name="Sentence">The step's caption.</param>
public sealed record YouCookStep(int Start, int End, string Sentence);
