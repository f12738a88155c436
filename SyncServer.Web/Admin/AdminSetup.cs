using System.Security.Cryptography;
using System.Text;

namespace SyncServer.Web.Admin;

// Singleton, thread-safe: the token is set once at start and cleared once; reads are atomic reference reads.
/// <summary>
/// The one-time setup token: while there is no admin user, the server logs a URL with this random token, and the setup
/// page accepts it once to create the first admin. After that the page no longer exists.
/// </summary>
internal sealed class AdminSetup
{
    private volatile string? _token;

    /// <summary>True while the first admin may still be created through the setup page.</summary>
    public bool IsOpen => _token is not null;

    /// <summary>Creates a new random token (256 bits, URL-safe) and opens the setup page.</summary>
    public string Open()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _token = token;
        return token;
    }

    /// <summary>Constant-time check of a token from the setup URL.</summary>
    public bool Accepts(string? token)
    {
        var expected = _token;
        return expected is not null && token is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token));
    }

    public void Close() => _token = null;
}
