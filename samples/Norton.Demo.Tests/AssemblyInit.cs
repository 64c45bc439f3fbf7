using System.Runtime.CompilerServices;

namespace Norton.Demo.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
