using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SyncServer.Web.Data;

/// <summary>
/// The admin users (ASP.NET Core Identity), in their own SQLite file <c>admin-users.db</c> in the data directory, apart
/// from the sync data. Migrations in Data/Migrations are applied at start.
/// </summary>
public sealed class AdminUsersDbContext(DbContextOptions<AdminUsersDbContext> options) : IdentityDbContext<AdminUser>(options)
{
    public const string FileName = "admin-users.db";

    public static string ConnectionString(string dataDirectory) =>
        $"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), FileName)}";
}
