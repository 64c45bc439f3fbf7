using System.Runtime.CompilerServices;

// One test at a time within this assembly: TorchSharp 0.107 can finalize an operator's temporary Scalar while the
// native op still reads it when another thread allocates meanwhile (seen as rare native crashes with two threads).
// Test assemblies still run side by side, one process each.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Norton.Training.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
