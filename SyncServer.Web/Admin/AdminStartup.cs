using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SyncServer.Engine.Logging;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

/// <summary>
/// At start, before the ports open: applies the admin-users database migrations, then makes sure there is a way in
/// without any default password: the first admin from the environment, or else a logged one-time setup URL.
/// </summary>
internal sealed class AdminStartup(IServiceScopeFactory scopes, AdminSetup setup, AdminUiOptions options, ILoggerFactory loggers)
    : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminUsersDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        if (!string.IsNullOrEmpty(options.InitialAdminUser) && !string.IsNullOrEmpty(options.InitialAdminPassword))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
            var result = await users.CreateAsync(new AdminUser { UserName = options.InitialAdminUser }, options.InitialAdminPassword);
            if (result.Succeeded)
            {
                AdminLog.AdminFromEnvironment(_log, options.InitialAdminUser);
                return;
            }

            var errors = string.Join(" ", result.Errors.Select(e => e.Description));
            AdminLog.AdminFromEnvironmentFailed(_log, errors);
        }

        var token = setup.Open();
        var url = $"{options.AdminUrl.TrimEnd('/')}/setup?token={token}";
        AdminLog.SetupUrl(_log, url);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
