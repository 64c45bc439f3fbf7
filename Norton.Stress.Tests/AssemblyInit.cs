using System.Runtime.CompilerServices;

// Each test starts a child process that keeps both cores busy: one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Norton.Stress.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
