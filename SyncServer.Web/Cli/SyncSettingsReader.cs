using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Web.Cli;

/// <summary>
/// Reads and validates the session limits (<see cref="SyncOptions"/>): its defaults, then the config file's <c>sync</c>
/// object (camelCase keys, <c>"maxMessageBytes": 33554432</c>), then environment variables (<c>Sync__MaxMessageBytes</c>,
/// names case-insensitive as in .NET configuration). Every settable property of <see cref="SyncOptions"/> is a setting
/// and its <see cref="RangeAttribute"/> is the allowed range. Unknown keys are refused in both places, like the rest of
/// the config file. All problems are collected and reported together, one line each.
/// </summary>
internal static class SyncSettingsReader
{
    public const string FileKey = "sync";
    public const string EnvironmentPrefix = "Sync__";

    /// <summary>Every setting, in declaration order.</summary>
    public static readonly IReadOnlyList<SyncSetting> Settings = typeof(SyncOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(SyncSetting.From)
        .ToArray();

    /// <summary>The <c>Sync__</c> variables of this process.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    /// <param name="section">The config file's <c>sync</c> value (null when the key is absent).</param>
    /// <param name="fileName">The config file's name, for messages.</param>
    /// <param name="environment">Environment variables; only those starting with <c>Sync__</c> are looked at.</param>
    /// <exception cref="SettingsException">One or more values are bad; one problem per line, naming the key and the range.</exception>
    public static SyncOptions Read(JsonElement? section, string fileName, IReadOnlyDictionary<string, string> environment)
    {
        var options = new SyncOptions();
        var problems = new List<string>();
        if (section is { ValueKind: not JsonValueKind.Null } sync)
        {
            ReadFileSection(sync, fileName, options, problems);
        }

        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name[EnvironmentPrefix.Length..];
            var setting = Settings.FirstOrDefault(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                problems.Add($"Environment variable {name}: unknown Sync setting '{key}'; known: {string.Join(", ", Settings.Select(s => s.Name))}");
                continue;
            }

            setting.Apply(options, value, $"Environment variable {name}", $"'{value}'", problems);
        }

        return problems.Count > 0 ? throw new SettingsException(problems) : options;
    }

    /// <summary>The settings as configuration keys and values ("MaxMessageBytes" = "33554432"), for the options binding.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ToConfiguration(SyncOptions options) =>
        Settings.Select(s => new KeyValuePair<string, string?>(s.Name, s.Format(options)));

    private static void ReadFileSection(JsonElement sync, string fileName, SyncOptions options, List<string> problems)
    {
        if (sync.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"Config file {fileName}: key '{FileKey}' must be an object {{ \"maxMessageBytes\": ..., ... }}");
            return;
        }

        foreach (var property in sync.EnumerateObject())
        {
            if (property.Name.StartsWith('_'))
            {
                continue;
            }

            var setting = Settings.FirstOrDefault(s => string.Equals(s.FileKey, property.Name, StringComparison.Ordinal));
            if (setting is null)
            {
                problems.Add($"Config file {fileName}: unknown key '{FileKey}.{property.Name}'; known keys: "
                    + $"{string.Join(", ", Settings.Select(s => s.FileKey))} (keys starting with _ are comments)");
                continue;
            }

            var value = property.Value;
            var text = (value.ValueKind, setting.IsTimeSpan) switch
            {
                (JsonValueKind.Number, false) => value.GetRawText(),
                (JsonValueKind.String, true) => value.GetString(),
                _ => null,
            };
            var shown = value.ValueKind == JsonValueKind.String ? $"the string \"{value.GetString()}\"" : value.GetRawText();
            setting.Apply(options, text, $"Config file {fileName}: key '{FileKey}.{setting.FileKey}'", shown, problems);
        }
    }
}
