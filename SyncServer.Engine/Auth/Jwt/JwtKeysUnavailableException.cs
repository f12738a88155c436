namespace SyncServer.Engine.Auth.Jwt;

/// <summary>The key URL could not be read or served no usable keys: logins that need it get 53 AUTH_UNREACHABLE.</summary>
public sealed class JwtKeysUnavailableException : Exception
{
    public JwtKeysUnavailableException()
    {
    }

    public JwtKeysUnavailableException(string message)
        : base(message)
    {
    }

    public JwtKeysUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
