using System.Runtime.CompilerServices;

namespace Norton.Cli.Tests;

internal static class EvaluateCommandSetup
{
    [ModuleInitializer]
    internal static void Init() => Norton.TestSupport.TestEnvironment.Initialize();
}
