using Norton.Demo;
using Spectre.Console;

DemoOptions? options;
try
{
    options = DemoOptions.Parse(args);
}
catch (ArgumentException e)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
    Console.Error.WriteLine(DemoOptions.Usage);
    return 2;
}
if (options is null)
{
    Console.WriteLine(DemoOptions.Usage);
    return 0;
}
DemoRun.Execute(options, interactive: true);
return 0;
