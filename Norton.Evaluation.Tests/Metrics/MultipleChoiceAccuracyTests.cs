using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

public class MultipleChoiceAccuracyTests
{
    [Fact]
    public void PredictsTheBestOptionAndTheFirstOnTies()
    {
        // Q0 best option 2 (answer 2, right). Q1 options 1 and 3 tie at 9 -> first, 1 (answer 3, wrong).
        // Q2 best 0 (answer 0, right). Accuracy 2/3.
        using var scores = tensor(new float[,]
        {
            { 0.1f, 0.2f, 0.9f, 0.3f, 0.0f },
            { 1, 9, 2, 9, 3 },
            { 5, 4, 3, 2, 1 },
        });
        using var answers = tensor(new long[] { 2, 3, 0 });
        var r = MultipleChoiceAccuracy.Evaluate(scores, answers);
        Assert.Equal(new[] { 2, 1, 0 }, r.Predictions);
        Assert.Equal(2.0 / 3, r.Accuracy, 12);
    }

    [Fact]
    public void AllRightAndAllWrong()
    {
        using var scores = tensor(new float[,] { { 1, 0 }, { 0, 1 } });
        using var right = tensor(new int[] { 0, 1 });
        using var wrong = tensor(new int[] { 1, 0 });
        Assert.Equal(1.0, MultipleChoiceAccuracy.Evaluate(scores, right).Accuracy);
        Assert.Equal(0.0, MultipleChoiceAccuracy.Evaluate(scores, wrong).Accuracy);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        using var scores = zeros(2, 5);
        using var three = tensor(new long[] { 0, 1, 2 });
        using var outOfRange = tensor(new long[] { 0, 5 });
        using var floats = zeros(2);
        Assert.Contains("3 entries", Assert.Throws<ArgumentException>(() => MultipleChoiceAccuracy.Evaluate(scores, three)).Message);
        Assert.Contains("answers[1] = 5", Assert.Throws<ArgumentException>(() => MultipleChoiceAccuracy.Evaluate(scores, outOfRange)).Message);
        Assert.Throws<ArgumentException>(() => MultipleChoiceAccuracy.Evaluate(scores, floats));
        Assert.Throws<ArgumentException>(() => MultipleChoiceAccuracy.Accuracy(Array.Empty<int>(), Array.Empty<long>()));
    }
}
