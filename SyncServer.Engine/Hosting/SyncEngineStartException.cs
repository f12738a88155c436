namespace SyncServer.Engine.Hosting;

/// <summary>
/// The engine refused to start. <see cref="Exception.Message"/> is the one-line reason, <see cref="Details"/> the
/// individual problems (one log line each), <see cref="Hint"/> what the operator can do, <see cref="ExitCode"/> the
/// process exit code: 2 for bad input (model, schema, settings), 1 for anything else.
/// </summary>
public sealed class SyncEngineStartException : Exception
{
    public const int BadInputExitCode = 2;
    public const int RuntimeErrorExitCode = 1;

    public SyncEngineStartException(string message, int exitCode, IReadOnlyList<string>? details = null, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Details = details ?? [];
        Hint = hint;
    }

    public int ExitCode { get; }
    public IReadOnlyList<string> Details { get; }
    public string? Hint { get; }
}
