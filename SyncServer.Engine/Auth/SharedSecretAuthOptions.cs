namespace SyncServer.Engine.Auth;

/// <summary><c>auth.sharedSecret</c>: every client proves it knows <paramref name="Secret"/> (docs/auth.md).</summary>
/// <param name="Required">With a required method configured, logins must use a required method (docs/auth.md).</param>
public sealed record SharedSecretAuthOptions(string Secret, bool Required = false)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"SharedSecret ({Secret.Length} characters, required: {Required})";
}
