using System.Runtime.CompilerServices;

namespace Norton.Training.Tests.Extraction;

internal static class ExtractionTestInit
{
    // Idempotent: native library fix and one torch thread per test (another init of this assembly may call it too).
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
