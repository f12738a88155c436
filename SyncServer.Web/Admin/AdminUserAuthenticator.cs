using Microsoft.AspNetCore.Identity;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

// Singleton, thread-safe: every login uses a DI scope of its own (its own UserManager, SignInManager and DbContext).
/// <summary>
/// <see cref="CredentialType.ObxAdminUser"/> (<c>auth.obxAdmin</c>): an admin UI user logs in as a sync client with user
/// name and password (<see cref="AdminUserCredentials"/> layout). The password is checked by Identity's
/// <see cref="SignInManager{TUser}.CheckPasswordSignInAsync"/> with lockout, so failed sync logins count towards the same
/// lockout as failed admin UI logins, and a locked-out user cannot sync either.
/// </summary>
internal sealed class AdminUserAuthenticator(IServiceScopeFactory scopes, bool required) : IClientAuthenticator
{
    public string Name => "obxAdmin";

    public bool IsRequired => required;

    public bool Accepts(CredentialType type) => type == CredentialType.ObxAdminUser;

    public async ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
    {
        if (!AdminUserCredentials.TryDecode(credentials.Span, out var userName, out var password))
        {
            return AuthResult.Rejected("the credentials are not an admin user name and password (see AdminUserCredentials)");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            DummyPassword.Verify(users.PasswordHasher, password); // an unknown name takes as long as a wrong password
            return AuthResult.Rejected($"no admin user named \"{userName}\"");
        }

        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AdminUser>>();
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // The sync filters read the user name as $auth.user (docs/filters.md).
            return AuthResult.OkWith(System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["user"] = user.UserName ?? userName }));
        }

        return AuthResult.Rejected(result.IsLockedOut
            ? $"admin user \"{userName}\" is locked out"
            : result.IsNotAllowed ? $"admin user \"{userName}\" is not allowed to sign in" : $"wrong password for admin user \"{userName}\"");
    }
}
