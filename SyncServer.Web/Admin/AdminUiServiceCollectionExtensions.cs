using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using SyncServer.Web.Cli;
using SyncServer.Web.Components.Account;
using SyncServer.Web.Data;
using SyncServer.Web.Hubs;
using SyncServer.Web.Services;

namespace SyncServer.Web.Admin;

internal static class AdminUiServiceCollectionExtensions
{
    /// <summary>Failed logins in a row before an account is locked, and for how long.</summary>
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The admin UI's services: Blazor (interactive Server) with MudBlazor, Identity on <c>admin-users.db</c> in the data
    /// directory (migrated at start, first admin from the environment or a logged setup URL), the admin and metrics
    /// authorization policies, the engine facade and the statistics hub's feed. Nothing when the admin UI is off.
    /// </summary>
    public static IServiceCollection AddAdminUi(this IServiceCollection services, ServerSettings settings, IConfiguration configuration)
    {
        if (settings.AdminBind is not { } admin)
        {
            return services;
        }

        var options = new AdminUiOptions
        {
            DataDirectory = settings.DbDirectory,
            AdminUrl = admin.Url,
            AdminPort = admin.Port,
            SyncUrl = settings.Bind.Url,
            AllowedHosts = Hosting.AdminHosts.Resolve(admin, settings.AllowedHosts),
            InitialAdminUser = configuration[AdminUiOptions.AdminUserVariable],
            InitialAdminPassword = configuration[AdminUiOptions.AdminPasswordVariable],
            MetricsToken = configuration[AdminUiOptions.MetricsTokenVariable],
        };
        services.AddSingleton(options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSignalR();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(cookies =>
            {
                cookies.ApplicationCookie?.Configure(ConfigureCookie);
                cookies.ExternalCookie?.Configure(c => c.Cookie.SecurePolicy = SecurePolicy(admin));
                cookies.TwoFactorRememberMeCookie?.Configure(c => c.Cookie.SecurePolicy = SecurePolicy(admin));
                cookies.TwoFactorUserIdCookie?.Configure(c => c.Cookie.SecurePolicy = SecurePolicy(admin));
            });
        services.PostConfigure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
            IdentityConstants.ApplicationScheme, c => c.Cookie.SecurePolicy = SecurePolicy(admin));
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = SecurePolicy(admin));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, MetricsTokenHandler>(MetricsTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicies.Admin, p => p.RequireAuthenticatedUser())
            .AddPolicy(AdminPolicies.Metrics, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, MetricsTokenHandler.SchemeName)
                .RequireAuthenticatedUser())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddDbContext<AdminUsersDbContext>(o => o.UseSqlite(AdminUsersDbContext.ConnectionString(settings.DbDirectory)));
        services.AddIdentityCore<AdminUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.User.RequireUniqueEmail = false;
                o.Lockout.MaxFailedAccessAttempts = MaxFailedLogins;
                o.Lockout.DefaultLockoutTimeSpan = LockoutTime;
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 8;
            })
            .AddEntityFrameworkStores<AdminUsersDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // Cookie keys live beside the data (admin-keys/), so logins survive a restart. They are not encrypted at rest, like
        // the database itself: protect the data directory. The framework's warning saying so is not repeated at every start.
        services.AddDataProtection()
            .SetApplicationName("SyncServer")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(settings.DbDirectory), "admin-keys")));
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));

        // Every request checks the login cookie's security stamp against the database (no 30-minute grace): deleting,
        // locking or resetting a user, and logging out, change the stamp and so end that user's cookies at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<AdminSetup>();
        services.AddSingleton(sp => new AdminLogins(
            sp.GetRequiredService<IOptions<Engine.Sync.Sessions.SyncOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<AdminStartup>();
        services.AddSingleton<IAdminService, AdminService>();
        services.AddSingleton<IAdminUsers, AdminUsers>();
        services.AddHostedService<StatsHubBroadcaster>();
        return services;
    }

    /// <summary>Under https:// every admin cookie is Secure (never sent over plain HTTP).</summary>
    private static CookieSecurePolicy SecurePolicy(BindAddress admin) =>
        admin.UseTls ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>
    /// <c>auth.obxAdmin</c>: admin users may log in as sync clients (<see cref="AdminUserAuthenticator"/>). Needs the admin
    /// UI's Identity services (the settings loader refuses it with --admin-off).
    /// </summary>
    public static IServiceCollection AddAdminUserLogins(this IServiceCollection services, ServerSettings settings)
    {
        if (settings.AuthObxAdmin && settings.AdminBind is not null)
        {
            services.AddSingleton<Engine.Auth.IClientAuthenticator>(sp =>
                new AdminUserAuthenticator(sp.GetRequiredService<IServiceScopeFactory>(), settings.AuthObxAdminRequired));
        }

        return services;
    }

    private static void ConfigureCookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = "SyncServer.Admin";
        cookie.LoginPath = "/Account/Login";
        cookie.AccessDeniedPath = "/Account/AccessDenied";
        // Endpoints other than pages answer 401/403 instead of redirecting to the login page.
        cookie.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
    }

    private static Task Answer(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (AdminEndpoints.IsApiPath(context.Request.Path))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
