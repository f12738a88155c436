using System.CommandLine;

namespace SyncServer.Client.Cli;

/// <summary>
/// The sync-client command line: global options (server, login, model, data directory, timeout) and one subcommand per action.
/// <code>
/// sync-client --server ws://127.0.0.1:9999 --model objectbox-model.json --dir ./client-data put Task '{"title":"Buy milk"}'
/// sync-client --server wss://sync.example.org:9999 --shared-secret-file secret.txt --trusted-cert ca.pem list Task
/// sync-client --server ws://127.0.0.1:9999 --filter-var team=green --filter-var groups=a,b watch
/// </code>
/// </summary>
internal sealed class ClientCommandLine
{
    /// <summary>Exit code of bad input that the parser cannot see (e.g. a <c>--filter-var</c> without <c>=</c>).</summary>
    private const int BadInput = 2;

    public ClientCommandLine(TextWriter output, TextWriter errors)
    {
        Root = new RootCommand("sync-client: reads and writes a SyncServer's data through a local, offline-capable store; prints objects as JSON.");
        foreach (var option in new Option[] { Server, Model, Directory, Timeout, FilterVariables.Option }.Concat(Login.All))
        {
            Root.Options.Add(option);
        }

        var entity = () => new Argument<string>("entity") { Description = "The entity's name in the model, e.g. Task." };
        var id = () => new Argument<ulong>("id") { Description = "The object's local ID." };

        var putEntity = entity();
        var json = new Argument<string>("json") { Description = "The object as JSON by property name; with \"id\" it replaces that object." };
        var put = new Command("put", "Create or replace an object; waits until the server has it (or says it stays queued).") { putEntity, json };
        put.SetAction((result, token) => Run(result, r => r.PutAsync(result.GetValue(putEntity)!, result.GetValue(json)!), output, errors, token));

        var getEntity = entity();
        var getId = id();
        var get = new Command("get", "Print one object (after catching up with the server when it is reachable).") { getEntity, getId };
        get.SetAction((result, token) => Run(result, r => r.GetAsync(result.GetValue(getEntity)!, result.GetValue(getId)), output, errors, token));

        var listEntity = entity();
        var list = new Command("list", "Print all objects of an entity as a JSON array.") { listEntity };
        list.SetAction((result, token) => Run(result, r => r.ListAsync(result.GetValue(listEntity)!), output, errors, token));

        var removeEntity = entity();
        var removeId = id();
        var remove = new Command("remove", "Remove an object; waits until the server has the removal.") { removeEntity, removeId };
        remove.SetAction((result, token) => Run(result, r => r.RemoveAsync(result.GetValue(removeEntity)!, result.GetValue(removeId)), output, errors, token));

        var watch = new Command("watch", "Print changes from the server as they arrive, one JSON line each, until Ctrl+C.");
        watch.SetAction((result, token) => Run(result, r => r.WatchAsync(), output, errors, token));

        foreach (var command in new[] { put, get, list, remove, watch })
        {
            command.Validators.Add(Login.Validate); // a root validator would not run: only the invoked command's do
            Root.Subcommands.Add(command);
        }
    }

    public RootCommand Root { get; }

    public LoginOptions Login { get; } = new();

    public FilterVariableOption FilterVariables { get; } = new();

    public Option<string[]> Server { get; } = new("--server", "-s")
    {
        Description = "Sync server URL, e.g. ws://127.0.0.1:9999 (repeat for fallbacks). Without it the client works offline only.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<FileInfo> Model { get; } = new("--model", "-m")
    {
        Description = "The app's objectbox-model.json.",
        Recursive = true,
        DefaultValueFactory = _ => new FileInfo("objectbox-model.json"),
    };

    public Option<DirectoryInfo> Directory { get; } = new("--dir", "-d")
    {
        Description = "The client's data directory (local database; one client per directory).",
        Recursive = true,
        DefaultValueFactory = _ => new DirectoryInfo("client-data"),
    };

    public Option<double> Timeout { get; } = new("--timeout", "-t")
    {
        Description = "Seconds to wait for the server (login, catch-up, ACK) before going on offline.",
        Recursive = true,
        DefaultValueFactory = _ => 10,
    };

    /// <summary>Exit code 2 for bad input found after parsing (one line on <paramref name="errors"/>), before anything is
    /// opened; else runs <paramref name="command"/>.</summary>
    private Task<int> Run(ParseResult result, Func<ClientRunner, Task<int>> command, TextWriter output, TextWriter errors, CancellationToken token)
    {
        if (!FilterVariables.TryRead(result, out var filterVariables, out var error))
        {
            errors.WriteLine(error);
            return Task.FromResult(BadInput);
        }

        return command(new ClientRunner(
            result.GetValue(Server) ?? [],
            () => Login.Read(result),
            filterVariables,
            result.GetValue(Model)!,
            result.GetValue(Directory)!,
            TimeSpan.FromSeconds(result.GetValue(Timeout)),
            output,
            errors,
            token));
    }
}
