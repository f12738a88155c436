namespace SyncServer.Web.Cli;

/// <summary>A command-line option, config-file key or environment variable has a bad value; each problem names which and
/// why, one line each.</summary>
internal sealed class SettingsException : Exception
{
    public SettingsException(string message)
        : this([message])
    {
    }

    public SettingsException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Problems { get; }
}
