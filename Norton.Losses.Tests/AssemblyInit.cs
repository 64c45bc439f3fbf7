using System.Runtime.CompilerServices;

namespace Norton.Losses.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
