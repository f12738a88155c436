using System.CommandLine;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Storage;

namespace SyncServer.Web.Cli;

/// <summary>Resolves <see cref="ServerSettings"/>: defaults, then the config file, then the command line.</summary>
internal static class ServerSettingsLoader
{
    /// <exception cref="SettingsException">A value is bad; the message names the option or key.</exception>
    public static ServerSettings Load(ServerCommandLine cli, ParseResult parsed)
    {
        var warnings = new List<string>();
        var (file, configMessage) = ReadConfigFile(cli, parsed);

        string? Pick(Option<string?> option, string? fromFile) =>
            ServerCommandLine.IsGiven(parsed, option) ? parsed.GetValue(option) : fromFile;
        string PickOrDefault(Option<string> option, string? fromFile) =>
            ServerCommandLine.IsGiven(parsed, option) || fromFile is null ? parsed.GetValue(option)! : fromFile;
        static string Source(Option option, string key) => $"{option.Name} (config key {key})";

        var logLevel = PickOrDefault(cli.LogLevel, file.LogLevel);
        if (parsed.GetValue(cli.Debug))
        {
            if (ServerCommandLine.IsGiven(parsed, cli.LogLevel))
            {
                warnings.Add("--debug is deprecated and ignored because --log-level is given");
            }
            else
            {
                logLevel = "debug";
                warnings.Add("--debug is deprecated; use --log-level debug");
            }
        }

        if (!ObxLogLevel.TryParse(logLevel, out _))
        {
            throw new SettingsException($"{Source(cli.LogLevel, "logLevel")}: unknown level '{logLevel}'; use one of {string.Join(", ", ObxLogLevel.Names)}");
        }

        var certificatePath = Pick(cli.Cert, file.CertificatePath);
        var bind = BindAddress.Parse(PickOrDefault(cli.Bind, file.Bind), Source(cli.Bind, "bind"), "ws", "wss");
        BindAddress? adminBind = parsed.GetValue(cli.AdminOff)
            ? null
            : BindAddress.Parse(PickOrDefault(cli.AdminBind, file.AdminBind), Source(cli.AdminBind, "adminBind"), "http", "https");
        if (adminBind is not null && adminBind.Port == bind.Port)
        {
            throw new SettingsException($"--bind and --admin-bind both use port {bind.Port}; give the admin UI its own port (or --admin-off)");
        }

        if (string.IsNullOrEmpty(certificatePath))
        {
            if (bind.UseTls)
            {
                throw new SettingsException($"{Source(cli.Bind, "bind")}: {bind.Url} needs a TLS certificate: pass --cert (config key certificatePath)");
            }

            if (adminBind is { UseTls: true })
            {
                throw new SettingsException($"{Source(cli.AdminBind, "adminBind")}: {adminBind.Url} needs a TLS certificate: pass --cert (config key certificatePath)");
            }
        }

        var maxKb = ServerCommandLine.IsGiven(parsed, cli.HistorySizeMaxKb) ? parsed.GetValue(cli.HistorySizeMaxKb) : file.HistorySizeMaxKb;
        var targetKb = ServerCommandLine.IsGiven(parsed, cli.HistorySizeTargetKb) ? parsed.GetValue(cli.HistorySizeTargetKb) : file.HistorySizeTargetKb;
        if (maxKb is <= 0 || targetKb is < 0)
        {
            throw new SettingsException($"{Source(cli.HistorySizeMaxKb, "historySizeMaxKb")}: the history size must be a positive number of KB");
        }

        if (targetKb is not null && maxKb is null)
        {
            throw new SettingsException($"{Source(cli.HistorySizeTargetKb, "historySizeTargetKb")} needs historySizeMaxKb too");
        }

        if (maxKb is not null && targetKb is not null && targetKb > maxKb)
        {
            throw new SettingsException($"historySizeTargetKb ({targetKb}) must not be larger than historySizeMaxKb ({maxKb})");
        }

        if (file.Workers is 0 or > 1024)
        {
            throw new SettingsException($"Config: workers must be between 1 and 1024, not {file.Workers}");
        }

        if (file.Workers is not null)
        {
            warnings.Add("workers is read but not used yet: the server sizes its thread pool itself");
        }

        return new ServerSettings
        {
            ModelFile = Pick(cli.Model, file.ModelFile),
            DbDirectory = PickOrDefault(cli.DbDirectory, file.DbDirectory),
            DbMaxSizeBytes = ParseSize(PickOrDefault(cli.DbMaxSize, file.DbMaxSize), Source(cli.DbMaxSize, "dbMaxSize")),
            Bind = bind,
            AdminBind = adminBind,
            UnsecuredNoAuthentication = parsed.GetValue(cli.UnsecuredNoAuthentication) || file.UnsecuredNoAuthentication == true,
            LogLevel = logLevel,
            CertificatePath = certificatePath,
            HistorySizeMaxKb = maxKb,
            HistorySizeTargetKb = targetKb,
            Workers = (int?)file.Workers,
            ConfigFileMessage = configMessage,
            Warnings = warnings,
        };
    }

    private static (ServerConfigFile File, string Message) ReadConfigFile(ServerCommandLine cli, ParseResult parsed)
    {
        var path = parsed.GetValue(cli.Conf)!;
        if (File.Exists(path))
        {
            return (ServerConfigFile.Read(path), $"Using configuration file {Path.GetFullPath(path)}");
        }

        if (ServerCommandLine.IsGiven(parsed, cli.Conf))
        {
            throw new SettingsException($"--conf: configuration file '{path}' not found (full path {Path.GetFullPath(path)})");
        }

        return (new ServerConfigFile(), $"Default configuration file {path} not found");
    }

    private static long? ParseSize(string text, string source)
    {
        if (string.Equals(text, "unlimited", StringComparison.OrdinalIgnoreCase) || text == "0")
        {
            return null;
        }

        return ByteSize.TryParse(text, out var size, out var error)
            ? size.Bytes
            : throw new SettingsException($"{source}: {error}");
    }
}
