using System.Text.Json;

namespace SyncServer.Web.Cli;

/// <summary>
/// The JSON config file (<c>sync-server-config.json</c>): the same settings as the command line, under ObjectBox's key names,
/// and the session limits under <c>sync</c>.
/// Keys starting with "_" are comments; any other unknown key is an error that names it. Relative paths in the file are
/// relative to the file's directory.
/// </summary>
internal sealed record ServerConfigFile
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] KnownKeys =
    [
        "modelFile", "dbDirectory", "dbMaxSize", "bind", "adminBind", "unsecuredNoAuthentication", "logLevel",
        "certificatePath", "auth", "historySizeMaxKb", "historySizeTargetKb", "workers",
        "adminSortLimit", "skipIntegrityCheck", "syncFilters", SyncSettingsReader.FileKey, NetworkSettingsReader.AllowedHostsKey, NetworkSettingsReader.TrustedProxiesKey,
    ];

    public string? ModelFile { get; init; }
    public string? DbDirectory { get; init; }
    public string? DbMaxSize { get; init; }
    public string? Bind { get; init; }
    public string? AdminBind { get; init; }
    public bool? UnsecuredNoAuthentication { get; init; }
    public bool? SkipIntegrityCheck { get; init; }
    public string? LogLevel { get; init; }
    public string? CertificatePath { get; init; }
    public long? HistorySizeMaxKb { get; init; }
    public long? HistorySizeTargetKb { get; init; }
    public long? Workers { get; init; }
    public long? AdminSortLimit { get; init; }
    public AuthFileSettings Auth { get; init; } = new();

    /// <summary><c>allowedHosts</c> as written (checked by <see cref="NetworkSettingsReader"/>); null when absent.</summary>
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    /// <summary><c>trustedProxies</c> as written (checked by <see cref="NetworkSettingsReader"/>); null when absent.</summary>
    public IReadOnlyList<string>? TrustedProxies { get; init; }

    /// <summary>The file's name, for messages (null without a file).</summary>
    public string? Name { get; init; }

    /// <summary>The <c>sync</c> value as written (session limits), read and checked by <see cref="SyncSettingsReader"/>.</summary>
    public JsonElement? Sync { get; init; }

    /// <summary><c>syncFilters</c>: entity name to filter expression (checked against the model at start); null when absent.</summary>
    public IReadOnlyDictionary<string, string>? SyncFilters { get; init; }

    public static ServerConfigFile Read(string path)
    {
        var name = Path.GetFileName(path);
        JsonDocument document;
        try
        {
            // A UTF-8 byte order mark (Windows editors write one) is not JSON: skip it.
            var bytes = File.ReadAllBytes(path).AsMemory();
            if (bytes.Span.StartsWith(Utf8Bom))
            {
                bytes = bytes[Utf8Bom.Length..];
            }

            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new SettingsException($"Config file {path}: invalid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}");
        }
        catch (IOException e)
        {
            throw new SettingsException($"Config file {path} cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SettingsException($"Config file {path} cannot be read: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SettingsException($"Config file {path}: the top level must be a JSON object {{ ... }}");
            }

            var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var root = document.RootElement;
            CheckDuplicateKeys(root, "", name);
            foreach (var property in root.EnumerateObject())
            {
                if (!property.Name.StartsWith('_') && !KnownKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new SettingsException(
                        $"Config file {name}: unknown key '{property.Name}'; known keys: {string.Join(", ", KnownKeys)} (keys starting with _ are comments)");
                }
            }

            return new ServerConfigFile
            {
                ModelFile = GetPath(root, "modelFile", name, baseDirectory),
                DbDirectory = GetPath(root, "dbDirectory", name, baseDirectory),
                DbMaxSize = GetSize(root, "dbMaxSize", name),
                Bind = GetString(root, "bind", name),
                AdminBind = GetString(root, "adminBind", name),
                UnsecuredNoAuthentication = GetBool(root, "unsecuredNoAuthentication", name),
                LogLevel = GetString(root, "logLevel", name),
                SkipIntegrityCheck = GetBool(root, "skipIntegrityCheck", name),
                CertificatePath = GetPath(root, "certificatePath", name, baseDirectory),
                HistorySizeMaxKb = GetNumber(root, "historySizeMaxKb", name),
                HistorySizeTargetKb = GetNumber(root, "historySizeTargetKb", name),
                Workers = GetNumber(root, "workers", name),
                AdminSortLimit = GetNumber(root, "adminSortLimit", name),
                Auth = root.TryGetProperty("auth", out var auth) && auth.ValueKind != JsonValueKind.Null
                    ? AuthConfigReader.Read(auth, name)
                    : new AuthFileSettings(),
                AllowedHosts = GetStrings(root, NetworkSettingsReader.AllowedHostsKey, name),
                TrustedProxies = GetStrings(root, NetworkSettingsReader.TrustedProxiesKey, name),
                Name = name,
                Sync = root.TryGetProperty(SyncSettingsReader.FileKey, out var sync) ? sync.Clone() : null,
                SyncFilters = GetStringMap(root, "syncFilters", name),
            };
        }
    }

    // JSON allows a key twice and the last one would win silently: a copy-paste mistake that changes a setting unseen.
    private static void CheckDuplicateKeys(JsonElement element, string where, string file)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CheckDuplicateKeys(item, $"{where}[{index++}]", file);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var key = where.Length == 0 ? property.Name : $"{where}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                throw new SettingsException($"Config file {file}: key '{key}' is given twice{(where.Length == 0 ? "" : $" in '{where}'")}; keep one");
            }

            CheckDuplicateKeys(property.Value, key, file);
        }
    }

    private static string? GetString(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SettingsException($"Config file {file}: key '{key}' must be a string, not {Describe(value)}");
    }

    // An object of strings, e.g. syncFilters: { "Task": "ownerId == $auth.sub" }.
    private static Dictionary<string, string>? GetStringMap(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SettingsException($"Config file {file}: key '{key}' must be an object of entity name to filter expression, not {Describe(value)}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
            {
                throw new SettingsException($"Config file {file}: key '{key}.{entry.Name}' must be a filter expression (a non-empty string), not {Describe(entry.Value)}");
            }

            map[entry.Name] = entry.Value.GetString()!;
        }

        return map;
    }

    private static string[]? GetStrings(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new SettingsException($"Config file {file}: key '{key}' must be an array of strings, not {Describe(value)}");
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string? GetPath(JsonElement root, string key, string file, string baseDirectory)
    {
        var text = GetString(root, key, file);
        return string.IsNullOrEmpty(text) ? text : Path.GetFullPath(text, baseDirectory);
    }

    private static bool? GetBool(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SettingsException($"Config file {file}: key '{key}' must be true or false, not {Describe(value)}"),
        };
    }

    private static long? GetNumber(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new SettingsException($"Config file {file}: key '{key}' must be a whole number of at least 0, not {Describe(value)}");
    }

    // dbMaxSize: "10G" like the command line, or a plain number of bytes.
    private static string? GetSize(JsonElement root, string key, string file)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            return GetNumber(root, key, file)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return GetString(root, key, file);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
