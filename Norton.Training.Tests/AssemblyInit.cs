using System.Runtime.CompilerServices;

// One test at a time within this assembly (TorchSharp's temporary-Scalar race; see Norton.Models.Tests).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Norton.Training.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
