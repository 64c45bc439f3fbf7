namespace Norton.Training.Corpus;

/// <summary>One caption of a video: its time span in seconds and its text (an ASR sentence).</summary>
/// <param name="Start">Start time (seconds).</param>
/// <param name="End">End time (seconds).</param>
/// <param name="Text">The words.</param>
public sealed record TimedCaption(double Start, double End, string Text);
