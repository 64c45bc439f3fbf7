using System.Runtime.CompilerServices;

// One test at a time: TorchSharp 0.107 can finalize an op's temporary Scalar while the native op reads it when other
// threads allocate meanwhile (see DemoRun); the tests are small, so running them in series costs little.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Norton.Demo.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
