namespace Norton.Cli.Tests;

/// <summary>Runs the norton command line in-process with captured output, and makes scratch folders.</summary>
internal static class CliInvoke
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var config = new System.CommandLine.InvocationConfiguration { Output = output, Error = error };
        int code = Program.BuildRoot().Parse(args).Invoke(config);
        return (code, output.ToString(), error.ToString());
    }

    public static string Temp()
    {
        string path = Path.Combine(Path.GetTempPath(), "norton-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
