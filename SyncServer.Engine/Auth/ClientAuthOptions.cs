namespace SyncServer.Engine.Auth;

/// <summary>
/// The client authentication methods the engine itself provides (the host may register more, e.g. admin users), as the
/// config file's <c>auth</c> section and the command line resolve them. Null members are methods that are off. Immutable.
/// </summary>
public sealed record ClientAuthOptions
{
    public SharedSecretAuthOptions? SharedSecret { get; init; }

    public JwtAuthOptions? Jwt { get; init; }

    public JwtAuthOptions? Google { get; init; }

    /// <summary>True when no method is configured here.</summary>
    public bool IsEmpty => SharedSecret is null && Jwt is null && Google is null;
}
