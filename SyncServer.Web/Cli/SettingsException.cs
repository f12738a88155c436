namespace SyncServer.Web.Cli;

/// <summary>A command-line option or config-file key has a bad value; the message names which and why.</summary>
internal sealed class SettingsException(string message) : Exception(message);
