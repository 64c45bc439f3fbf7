using Norton.Models.Checkpoints;
using Norton.Models.S3D;
using Norton.TestSupport;

namespace Norton.Training.Tests.Extraction;

/// <summary>S3D-G with the seeded fixture weights (made by the original s3dg.py), loaded once per test class.</summary>
public sealed class S3DFixtureModel : IDisposable
{
    public static string WeightsPath =>
        Path.Combine(TestEnvironment.SharedDirectory, "fixtures", "s3d", "s3d_seed0_1x3x16x112x112", "weights.pt");

    public S3DFixtureModel()
    {
        Model = new S3DG();
        CheckpointLoader.Load(Model, WeightsPath);
        Model.eval();
    }

    public S3DG Model { get; }

    public void Dispose() => Model.Dispose();
}
