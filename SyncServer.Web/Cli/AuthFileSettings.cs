using SyncServer.Engine.Auth;

namespace SyncServer.Web.Cli;

/// <summary>The config file's <c>auth</c> section as read (docs/auth.md); the command line may add to it. Immutable.</summary>
internal sealed record AuthFileSettings
{
    public SharedSecretAuthOptions? SharedSecret { get; init; }

    public JwtAuthOptions? Jwt { get; init; }

    public JwtAuthOptions? Google { get; init; }

    public bool ObxAdmin { get; init; }

    public bool ObxAdminRequired { get; init; }
}
