using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SyncServer.Web.Data;

/// <summary>For <c>dotnet ef migrations add</c> only: the host's own start-up needs a command line and a data directory.</summary>
internal sealed class AdminUsersDbContextFactory : IDesignTimeDbContextFactory<AdminUsersDbContext>
{
    public AdminUsersDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<AdminUsersDbContext>()
            .UseSqlite(AdminUsersDbContext.ConnectionString(Path.GetTempPath()))
            .Options);
}
