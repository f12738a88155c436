using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The users page's rules: you cannot delete yourself or the last admin, nor lock yourself out.</summary>
public sealed class UsersPageTests : BunitTestBase
{
    private readonly FakeUsers _users = new();

    public UsersPageTests()
    {
        Services.AddSingleton<IAdminUsers>(_users);
        var me = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "1"), new Claim(ClaimTypes.Name, "alice")], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(me)));
    }

    [Fact]
    public void Rules_refuse_deleting_yourself_and_the_last_admin_and_locking_yourself()
    {
        AdminUserInfo[] three = [Active("1"), Active("2"), Active("3")];
        Assert.Equal("You cannot delete yourself.", UserRules.RefuseDelete("1", "1", three));
        Assert.Equal("The last active admin cannot be deleted.", UserRules.RefuseDelete("1", "2", [Active("2")]));
        Assert.Null(UserRules.RefuseDelete("1", "2", [Active("1"), Active("2")]));
        Assert.Equal("You cannot lock yourself out.", UserRules.RefuseLock("1", "1", three));
        Assert.Null(UserRules.RefuseLock("1", "2", three));
    }

    [Fact]
    public void Rules_refuse_deleting_or_locking_the_last_admin_who_is_not_locked_out()
    {
        AdminUserInfo[] users = [Locked("1"), Active("2"), Locked("3")];

        Assert.Equal("The last active admin cannot be deleted.", UserRules.RefuseDelete("1", "2", users));
        Assert.Equal("The last active admin cannot be locked.", UserRules.RefuseLock("1", "2", users));
        Assert.Null(UserRules.RefuseDelete("2", "3", users)); // a locked admin may go while another one is active
    }

    [Fact]
    public void The_lock_button_of_the_last_active_admin_is_disabled()
    {
        _users.Users.Add(new AdminUserInfo("1", "alice", false, null, 0));
        _users.Users.Add(new AdminUserInfo("2", "bob", false, null, 0));
        _users.Users.Add(new AdminUserInfo("3", "carol", true, DateTimeOffset.MaxValue, 0));

        var cut = Render<Users>();

        Assert.True(cut.Find("[data-testid=lock-alice]").HasAttribute("disabled")); // yourself
        Assert.False(cut.Find("[data-testid=lock-bob]").HasAttribute("disabled"));
        _users.Users[0] = new AdminUserInfo("1", "alice", true, DateTimeOffset.MaxValue, 0);
        cut = Render<Users>();
        Assert.True(cut.Find("[data-testid=lock-bob]").HasAttribute("disabled")); // the only active admin left
    }

    private static AdminUserInfo Active(string id) => new(id, "user" + id, false, null, 0);

    private static AdminUserInfo Locked(string id) => new(id, "user" + id, true, DateTimeOffset.MaxValue, 0);

    [Fact]
    public void Your_own_delete_button_is_disabled_and_another_admins_is_not()
    {
        _users.Users.Add(new AdminUserInfo("1", "alice", false, null, 0));
        _users.Users.Add(new AdminUserInfo("2", "bob", false, null, 0));

        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Users>();

        Assert.True(cut.Find("[data-testid=delete-alice]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=delete-bob]").HasAttribute("disabled"));
        cut.Find("[data-testid=delete-bob]").Click();
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["delete 2"], _users.Calls));
        Assert.Contains("Deleted", cut.Find("[data-testid=users-message]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_asks_first_and_cancel_deletes_nobody()
    {
        _users.Users.Add(new AdminUserInfo("1", "alice", false, null, 0));
        _users.Users.Add(new AdminUserInfo("2", "bob", false, null, 0));
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Users>();

        cut.Find("[data-testid=delete-bob]").Click();

        var text = dialogs.WaitForElement("[data-testid=confirm-text]").TextContent;
        Assert.Contains("\"bob\" is deleted for good", text, StringComparison.Ordinal);
        Assert.Equal("Delete", dialogs.Find("[data-testid=confirm-ok]").TextContent.Trim());
        Assert.Empty(_users.Calls);
        dialogs.Find("[data-testid=confirm-cancel]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        Assert.Empty(_users.Calls);
        Assert.Empty(cut.FindAll("[data-testid=users-message]"));
    }

    [Fact]
    public void A_refused_create_shows_the_reason()
    {
        _users.Users.Add(new AdminUserInfo("1", "alice", false, null, 0));
        _users.NextResult = UserResult.Refused("Passwords must be at least 8 characters.");
        var cut = Render<Users>();

        cut.Find("[data-testid=create-user]").Click();

        Assert.Contains("at least 8 characters", cut.Find("[data-testid=users-message]").TextContent, StringComparison.Ordinal);
    }

    private sealed class FakeUsers : IAdminUsers
    {
        public List<AdminUserInfo> Users { get; } = [];
        public List<string> Calls { get; } = [];
        public UserResult NextResult { get; set; } = UserResult.Done("Deleted.");

        public Task<IReadOnlyList<AdminUserInfo>> ListAsync() => Task.FromResult<IReadOnlyList<AdminUserInfo>>([.. Users]);

        public Task<UserResult> CreateAsync(string currentUserId, string userName, string password) => Record($"create {userName}");

        public Task<UserResult> DeleteAsync(string currentUserId, string userId) => Record($"delete {userId}");

        public Task<UserResult> ResetPasswordAsync(string currentUserId, string userId, string newPassword) => Record($"reset {userId}");

        public Task<UserResult> SetLockedAsync(string currentUserId, string userId, bool locked) => Record($"lock {userId} {locked}");

        public Task<UserResult> ChangeOwnPasswordAsync(string currentUserId, string currentPassword, string newPassword) => Record("own");

        private Task<UserResult> Record(string call)
        {
            Calls.Add(call);
            return Task.FromResult(NextResult);
        }
    }
}
