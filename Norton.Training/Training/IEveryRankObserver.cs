namespace Norton.Training;

/// <summary>
/// An observer that <see cref="NortonTrainer"/> notifies on every rank of a data-parallel run (the others hear from
/// rank 0 only, which alone writes logs and displays progress): e.g. a check that the ranks' weights stay equal.
/// </summary>
public interface IEveryRankObserver : ITrainingObserver
{
}
