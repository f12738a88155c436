using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

// Singleton, thread-safe: the token is set once at start and cleared once (reads are atomic reference reads); creating
// the first admin is serialised by _creating, so the check "token open and no admin yet" and the creation are one step.
/// <summary>
/// The one-time setup token: while there is no admin user, the server logs a URL with this random token, and the setup
/// page accepts it once to create the first admin. After that the page no longer exists.
/// </summary>
internal sealed class AdminSetup : IDisposable
{
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile string? _token;
    private volatile string? _usedToken;

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
    public bool Accepts(string? token) => SameToken(_token, token);

    /// <summary>True for the token the first admin was created with (a request that lost the race, or came late).</summary>
    public bool WasUsed(string? token) => SameToken(_usedToken, token);

    public void Close() => _token = null;

    /// <summary>
    /// Creates the first admin, atomically: only while <paramref name="token"/> is accepted and there is no admin user;
    /// on success the setup is closed. Concurrent calls wait for each other, so of any number of requests with the token
    /// exactly one creates an admin. Null: refused (the token is not open, or an admin exists already).
    /// </summary>
    public async Task<(IdentityResult Result, AdminUser User)?> CreateFirstAdminAsync(
        UserManager<AdminUser> users, string? token, string userName, string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        await _creating.WaitAsync(ct);
        try
        {
            if (!Accepts(token))
            {
                return null;
            }

            if (await users.Users.AnyAsync(ct))
            {
                Close();
                return null;
            }

            var user = new AdminUser { UserName = userName };
            var result = await users.CreateAsync(user, password);
            if (result.Succeeded)
            {
                _usedToken = _token;
                Close();
            }

            return (result, user);
        }
        finally
        {
            _creating.Release();
        }
    }

    public void Dispose() => _creating.Dispose();

    private static bool SameToken(string? expected, string? token) =>
        expected is not null && token is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token));
}
