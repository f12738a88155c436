using SyncServer.Engine.Hosting;
using SyncServer.Web.Cli;
using SyncServer.Web.Hosting;

// sync-server: parse the command line and config file, build the host (engine + sync port + admin port), run until
// Ctrl+C/SIGTERM. Exit codes: 0 stopped normally, 1 runtime error, 2 bad input (options, config, model, schema).
var startup = System.Diagnostics.Stopwatch.StartNew();
var cli = new ServerCommandLine();
var parsed = cli.Root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"sync-server: {error.Message}");
    }

    Console.Error.WriteLine("Run 'sync-server --help' for the options.");
    return SyncEngineStartException.BadInputExitCode;
}

if (parsed.Action is not null)
{
    return await parsed.InvokeAsync(); // --help or --version
}

ServerSettings settings;
ServerCertificate? certificate;
try
{
    settings = ServerSettingsLoader.Load(cli, parsed);
    certificate = ServerCertificate.LoadFor(settings); // a bad --cert is bad input, refused before anything starts
}
catch (SettingsException e)
{
    foreach (var problem in e.Problems)
    {
        Console.Error.WriteLine($"sync-server: {problem}");
    }

    return SyncEngineStartException.BadInputExitCode;
}

return await ServerHost.RunAsync(settings, certificate, startup);
