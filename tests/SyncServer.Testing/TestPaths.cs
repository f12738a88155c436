namespace SyncServer.Tests.Shared;

/// <summary>Files of the repository the tests use: found by walking up to the folder that holds SyncServer.Web.sln.</summary>
internal static class TestPaths
{
    /// <summary>The repository root: the folder holding SyncServer.Web.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ModelsDirectory => Path.Combine(RepositoryRoot, "tests", "models");

    public static string ExampleModel => Path.Combine(RepositoryRoot, "examples", "objectbox-model.json");

    /// <summary>One of the real apps' model files in tests/models.</summary>
    public static string RealModel(string fileName) => Path.Combine(ModelsDirectory, fileName);

    /// <summary>The built server (same configuration as the tests: Debug or Release).</summary>
    public static string ServerDll => BuiltDll("SyncServer.Web", "sync-server.dll");

    /// <summary>The built sync-client command line tool.</summary>
    public static string ClientCliDll => BuiltDll("SyncServer.Client.Cli", "sync-client.dll");

    private static string BuiltDll(string project, string fileName)
    {
        var baseDirectory = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(baseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(RepositoryRoot, project, "bin", configuration, "net10.0", fileName);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution first: {dll} is missing");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncServer.Web.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SyncServer.Web.sln not found above " + AppContext.BaseDirectory);
    }
}
