using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Tests;

/// <summary>The session limits: defaults, the config file's <c>sync</c> object, <c>Sync__X</c> variables, ranges.</summary>
public sealed class SyncSettingsReaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    public static TheoryData<string> SettingNames() => [.. SyncSettingsReader.Settings.Select(s => s.Name)];

    [Fact]
    public void Every_settable_SyncOptions_property_is_a_setting_and_nothing_given_means_its_defaults()
    {
        var properties = typeof(SyncOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);

        var options = SyncSettingsReader.Read(null, "c.json", NoEnvironment);

        Assert.Equal(properties, SyncSettingsReader.Settings.Select(s => s.Name));
        Assert.Equal(18, SyncSettingsReader.Settings.Count);
        Assert.Equal(Values(new SyncOptions()), Values(options));
        Assert.Equal(32 * 1024 * 1024, options.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.LoginBlockTime);
    }

    [Fact]
    public void The_config_file_sets_values_and_environment_variables_override_them_with_any_case()
    {
        var file = Json("""{ "_comment": "x", "maxMessageBytes": 2048, "heartbeatTimeout": "00:00:30", "loginFailuresPerAddress": 3 }""");
        var environment = new Dictionary<string, string> { ["Sync__MaxMessageBytes"] = "4096", ["SYNC__LOGINBLOCKTIME"] = "00:10:00", ["PATH"] = "/bin" };

        var options = SyncSettingsReader.Read(file, "c.json", environment);

        Assert.Equal(4096, options.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatTimeout);
        Assert.Equal(3, options.LoginFailuresPerAddress);
        Assert.Equal(TimeSpan.FromMinutes(10), options.LoginBlockTime);
        Assert.Equal(10_000, options.MaxOpsPerTx);
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Each_setting_accepts_its_range_limits_and_refuses_values_beyond_them(string name)
    {
        var setting = SyncSettingsReader.Settings.Single(s => s.Name == name);
        var (below, min, max, above) = setting.IsTimeSpan
            ? (Span(setting.Minimum, -1), Span(setting.Minimum, 0), Span(setting.Maximum, 0), Span(setting.Maximum, 1))
            : (Number(setting.Minimum, -1), Number(setting.Minimum, 0), Number(setting.Maximum, 0), Number(setting.Maximum, 1));

        var atMin = SyncSettingsReader.Read(null, "c.json", Env(name, min));
        var atMax = SyncSettingsReader.Read(null, "c.json", Env(name, max));
        var errors = new[] { below, above }.Select(v => Assert.Throws<SettingsException>(() => SyncSettingsReader.Read(null, "c.json", Env(name, v)))).ToList();

        Assert.Equal(min, setting.Format(atMin));
        Assert.Equal(max, setting.Format(atMax));
        foreach (var (error, value) in errors.Zip([below, above]))
        {
            var problem = Assert.Single(error.Problems);
            Assert.Equal($"Environment variable Sync__{name} must be {setting.Expected}, not '{value}'", problem);
            Assert.Contains($"from {setting.Minimum} to {setting.Maximum}", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Problems_from_the_file_and_the_environment_are_all_reported_one_each()
    {
        var file = Json("""{ "maxMessageBytes": "1M", "maxOpsPerTx": 0, "heartbeatTimeout": "later", "maxMesageBytes": 1 }""");
        var environment = new Dictionary<string, string> { ["Sync__BatchMaxTxs"] = "", ["Sync__Heartbeat"] = "00:00:10" };

        var error = Assert.Throws<SettingsException>(() => SyncSettingsReader.Read(file, "c.json", environment));

        Assert.Equal(
            [
                "Config file c.json: key 'sync.maxMessageBytes' must be a whole number from 1024 to 1073741824, not the string \"1M\"",
                "Config file c.json: key 'sync.maxOpsPerTx' must be a whole number from 1 to 10000000, not 0",
                "Config file c.json: key 'sync.heartbeatTimeout' must be a time span hh:mm:ss from 00:00:01 to 01:00:00, not the string \"later\"",
                "Config file c.json: unknown key 'sync.maxMesageBytes'; known keys: maxMessageBytes, maxMessageBytesBeforeLogin, loginTimeout, maxConnections, "
                    + "maxReceiveBufferBytes, maxOpsPerTx, heartbeatTimeout, batchMaxTxs, "
                    + "batchMaxBytes, sendQueueCapacity, sendQueueMaxBytes, sendTimeout, maxPendingTxs, closeTimeout, ackDelayForTests, loginFailuresPerAddress, loginFailureWindow, loginBlockTime "
                    + "(keys starting with _ are comments)",
                "Environment variable Sync__BatchMaxTxs must be a whole number from 1 to 100000, not ''",
                "Environment variable Sync__Heartbeat: unknown Sync setting 'Heartbeat'; known: MaxMessageBytes, MaxMessageBytesBeforeLogin, LoginTimeout, MaxConnections, "
                    + "MaxReceiveBufferBytes, MaxOpsPerTx, HeartbeatTimeout, "
                    + "BatchMaxTxs, BatchMaxBytes, SendQueueCapacity, SendQueueMaxBytes, SendTimeout, MaxPendingTxs, CloseTimeout, AckDelayForTests, LoginFailuresPerAddress, LoginFailureWindow, LoginBlockTime",
            ],
            error.Problems);
        Assert.Equal(string.Join(Environment.NewLine, error.Problems), error.Message);
    }

    [Fact]
    public void The_validated_values_bind_to_the_same_options_through_configuration()
    {
        var file = Json("""{ "maxMessageBytes": 4096, "closeTimeout": "00:00:00.250", "loginFailureWindow": "1.00:00:00", "sendQueueCapacity": 7 }""");
        var options = SyncSettingsReader.Read(file, "c.json", NoEnvironment);

        var bound = new ConfigurationBuilder().AddInMemoryCollection(SyncSettingsReader.ToConfiguration(options)).Build().Get<SyncOptions>()!;

        Assert.Equal(Values(options), Values(bound));
        Assert.Equal(TimeSpan.FromMilliseconds(250), bound.CloseTimeout);
        Assert.Equal(7, bound.SendQueueCapacity);
    }

    [Fact]
    public void The_loader_reads_the_sync_section_and_the_environment_it_is_given()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("sync-server-config.json");
        File.WriteAllText(config, """{ "unsecuredNoAuthentication": true, "sync": { "batchMaxTxs": 16, "maxPendingTxs": 8 } }""");
        var cli = new ServerCommandLine();

        var settings = ServerSettingsLoader.Load(cli, cli.Root.Parse(["-c", config]), new Dictionary<string, string> { ["Sync__MaxPendingTxs"] = "9" });
        var bad = Assert.Throws<SettingsException>(() =>
            ServerSettingsLoader.Load(cli, cli.Root.Parse(["-c", config]), new Dictionary<string, string> { ["Sync__MaxPendingTxs"] = "0" }));

        Assert.Equal(16, settings.Sync.BatchMaxTxs);
        Assert.Equal(9, settings.Sync.MaxPendingTxs);
        Assert.Equal(["Environment variable Sync__MaxPendingTxs must be a whole number from 1 to 100000, not '0'"], bad.Problems);
    }

    [Fact]
    public void The_READMEs_session_limits_table_lists_every_setting_with_its_default_and_range()
    {
        var rows = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "README.md"))
            .SkipWhile(l => l != "### Session limits").TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var defaults = new SyncOptions();

        Assert.Equal(SyncSettingsReader.Settings.Count, rows.Count);
        foreach (var (setting, row) in SyncSettingsReader.Settings.Zip(rows))
        {
            Assert.StartsWith($"| `{setting.FileKey}` | `Sync__{setting.Name}` | `{setting.Format(defaults)}`", row, StringComparison.Ordinal);
            Assert.Contains($" | {setting.Minimum} – {setting.Maximum} | ", row, StringComparison.Ordinal);
        }
    }

    private static List<string> Values(SyncOptions options) => [.. SyncSettingsReader.Settings.Select(s => s.Format(options))];

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string> Env(string name, string value) => new() { ["Sync__" + name] = value };

    private static string Number(string limit, int offset) =>
        (long.Parse(limit, CultureInfo.InvariantCulture) + offset).ToString(CultureInfo.InvariantCulture);

    private static string Span(string limit, int offsetMilliseconds) =>
        (TimeSpan.Parse(limit, CultureInfo.InvariantCulture) + TimeSpan.FromMilliseconds(offsetMilliseconds)).ToString("c", CultureInfo.InvariantCulture);
}
