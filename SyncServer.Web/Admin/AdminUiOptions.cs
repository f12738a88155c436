namespace SyncServer.Web.Admin;

/// <summary>What the admin UI needs from the server settings and the environment. Immutable.</summary>
internal sealed record AdminUiOptions
{
    /// <summary>Environment variable: user name of a first admin created at start when there is no admin yet.</summary>
    public const string AdminUserVariable = "SYNCSERVER_ADMIN_USER";

    /// <summary>Environment variable: that first admin's password.</summary>
    public const string AdminPasswordVariable = "SYNCSERVER_ADMIN_PASSWORD";

    /// <summary>Environment variable: a bearer token that scrapers may send to <c>/metrics</c> instead of logging in.</summary>
    public const string MetricsTokenVariable = "SYNCSERVER_METRICS_TOKEN";

    public required string DataDirectory { get; init; }

    /// <summary>The admin endpoint's URL as configured (<c>http://127.0.0.1:9980</c>).</summary>
    public required string AdminUrl { get; init; }

    /// <summary>The local port of the admin endpoint: only requests that came in on it reach the admin UI.</summary>
    public required int AdminPort { get; init; }

    /// <summary>The sync endpoint's URL, shown on the status page.</summary>
    public required string SyncUrl { get; init; }

    /// <summary>Host names the admin port answers to ("*": any), resolved by <c>AdminHosts.Resolve</c>.</summary>
    public required IReadOnlyList<string> AllowedHosts { get; init; }

    public string? InitialAdminUser { get; init; }
    public string? InitialAdminPassword { get; init; }
    public string? MetricsToken { get; init; }
}
