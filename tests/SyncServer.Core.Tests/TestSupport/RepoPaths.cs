namespace SyncServer.Tests.TestSupport;

/// <summary>Files of the repository the tests read: found by walking up to the folder that holds SyncServer.Web.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModelsDirectory => Path.Combine(Root, "tests", "models");

    public static string ExampleModel => Path.Combine(Root, "examples", "objectbox-model.json");

    public static string RealModel(string fileName) => Path.Combine(ModelsDirectory, fileName);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SyncServer.Web.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SyncServer.Web.sln above {AppContext.BaseDirectory}.");
    }
}
