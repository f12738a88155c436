using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

/// <summary>
/// At start, before the ports open: applies the admin-users database migrations, then makes sure there is a way in
/// without any default password: the admin from the environment (created, or reset and unlocked: the recovery for an
/// operator who lost every admin), or, while there is no admin at all, a logged one-time setup URL.
/// </summary>
internal sealed class AdminStartup(IServiceScopeFactory scopes, AdminSetup setup, AdminUiOptions options, ILoggerFactory loggers)
    : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminUsersDbContext>();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 13 or 10) // SQLITE_FULL, SQLITE_IOERR
        {
            var path = Path.GetFullPath(Path.Combine(options.DataDirectory, AdminUsersDbContext.FileName));
            throw new SyncEngineStartException(
                $"Disk full (or an I/O error) writing the admin users' database {path}: free space on its disk and start again ({e.Message})",
                SyncEngineStartException.RuntimeErrorExitCode,
                inner: e);
        }
        if (!string.IsNullOrEmpty(options.InitialAdminUser) && !string.IsNullOrEmpty(options.InitialAdminPassword))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
            await EnsureAdminFromEnvironmentAsync(users, options.InitialAdminUser, options.InitialAdminPassword);
        }

        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var token = setup.Open();
        var url = $"{options.AdminUrl.TrimEnd('/')}/setup?token={token}";
        AdminLog.SetupUrl(_log, url);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the user, or makes sure the existing one logs in with this password and is not locked out. Changes only
    /// what differs, so a deployment that always sets the variables keeps that admin's sessions across restarts.
    /// </summary>
    private async Task EnsureAdminFromEnvironmentAsync(UserManager<AdminUser> users, string userName, string password)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
        {
            var created = await users.CreateAsync(new AdminUser { UserName = userName }, password);
            if (created.Succeeded)
            {
                AdminLog.AdminFromEnvironment(_log, userName);
            }
            else
            {
                AdminLog.AdminFromEnvironmentFailed(_log, userName, Describe(created));
            }

            return;
        }

        List<string> done = [];
        var result = IdentityResult.Success;
        if (!await users.CheckPasswordAsync(user, password))
        {
            // Reset, not change: the old password is what was lost. The reset also gives the user a new security stamp.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            result = await users.ResetPasswordAsync(user, token, password);
            done.Add("password reset");
        }

        var locked = await users.IsLockedOutAsync(user);
        if (result.Succeeded && (locked || await users.GetAccessFailedCountAsync(user) > 0))
        {
            result = await users.SetLockoutEndDateAsync(user, null);
            if (result.Succeeded)
            {
                result = await users.ResetAccessFailedCountAsync(user);
            }

            if (locked)
            {
                done.Add("unlocked");
            }
        }

        if (result.Succeeded)
        {
            AdminLog.AdminFromEnvironmentReset(_log, userName, done.Count == 0 ? "exists with this password, not locked out: unchanged" : string.Join(", ", done));
        }
        else
        {
            AdminLog.AdminFromEnvironmentFailed(_log, userName, Describe(result));
        }
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
