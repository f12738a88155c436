using Microsoft.AspNetCore.Identity;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

// Thread-safe: the hash is made once (Lazy), verifying it has no state.
/// <summary>
/// A password hash that matches nothing, verified when a login names no user (or a locked-out one) so that the answer
/// takes as long as checking a real password: the time does not tell which user names exist.
/// </summary>
internal static class DummyPassword
{
    private static readonly Lazy<string> Hash = new(() => new PasswordHasher<AdminUser>().HashPassword(new AdminUser(), Guid.NewGuid().ToString()));

    /// <summary>Verifies <paramref name="password"/> against the dummy hash with <paramref name="hasher"/> (the same cost as a real check).</summary>
    public static void Verify(IPasswordHasher<AdminUser> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        hasher.VerifyHashedPassword(new AdminUser(), Hash.Value, password);
    }
}
