using System.Runtime.CompilerServices;

namespace Norton.Core.Tests;

internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
