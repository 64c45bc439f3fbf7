using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// MSR-VTT multiple-choice QA, the original's <c>QAPredictor</c> + <c>QAMetric</c> (docs/original-model.md §5.5): each
/// question's prediction is its best-scoring option, and the metric is the fraction predicted right.
/// </summary>
public static class MultipleChoiceAccuracy
{
    /// <summary>Predicts the highest-scoring option of each question and scores it.</summary>
    /// <param name="scores">
    /// (B, K) option scores, <c>s[b,k] = &lt;pooled_video_b, pooled_text_{b,k}&gt;</c> (K = 5 on MSR-VTT), any
    /// floating dtype.
    /// </param>
    /// <param name="answers">(B,) 0-based index of the right option, any integer dtype.</param>
    /// <remarks>Ties go to the first maximum, as <c>torch.argmax</c>.</remarks>
    /// <exception cref="ArgumentException">Bad shapes, NaN, or an answer outside [0, K).</exception>
    public static MultipleChoiceResult Evaluate(Tensor scores, Tensor answers)
    {
        float[] s = EvaluationInput.ToMatrix(scores, nameof(scores), out int questions, out int options);
        long[] a = EvaluationInput.ToLabels(answers, nameof(answers));
        if (a.Length != questions)
            throw new ArgumentException(
                $"{nameof(answers)} has {a.Length} entries but {nameof(scores)} has {questions} questions.", nameof(answers));
        CheckAnswers(a, options);
        var predictions = new int[questions];
        for (int b = 0; b < questions; b++)
        {
            int best = 0;
            for (int k = 1; k < options; k++)
                if (s[b * options + k] > s[b * options + best]) best = k;
            predictions[b] = best;
        }
        return new MultipleChoiceResult(Accuracy(predictions, a), predictions);
    }

    /// <summary>Accuracy of given predictions (sklearn's <c>accuracy_score</c>).</summary>
    /// <exception cref="ArgumentException">Empty or different lengths.</exception>
    public static double Accuracy(IReadOnlyList<int> predictions, IReadOnlyList<long> answers)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(answers);
        if (predictions.Count == 0 || predictions.Count != answers.Count)
            throw new ArgumentException(
                $"need one prediction per answer, at least one; got {predictions.Count} predictions and {answers.Count} answers.",
                nameof(predictions));
        int right = 0;
        for (int i = 0; i < predictions.Count; i++)
            if (predictions[i] == answers[i]) right++;
        return (double)right / predictions.Count;
    }

    private static void CheckAnswers(long[] answers, int options)
    {
        int bad = Array.FindIndex(answers, x => x < 0 || x >= options);
        if (bad >= 0)
            throw new ArgumentException(
                $"answers[{bad}] = {answers[bad]} is not an option index in [0, {options}).", nameof(answers));
    }
}
