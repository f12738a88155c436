using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Web.Components.Account.Pages;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The lockout page says until when (docs/admin.md, "Lockout and recovery").</summary>
public sealed class LockoutPageTests : BunitTestBase
{
    [Theory]
    [InlineData("2026-12-03T18:31:05.1234567Z", "This account is locked out until 2026-12-03 18:31:05 UTC (after too many failed logins); try again then.")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "This account was locked by an admin, until an admin unlocks it.")]
    [InlineData(null, "This account is locked out, please try again later.")]
    public void The_message_names_the_end_of_the_lockout_or_who_must_end_it(string? until, string message)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(until is null ? "Account/Lockout" : $"Account/Lockout?until={Uri.EscapeDataString(until)}");

        var cut = Render<Lockout>();

        Assert.Equal(message, cut.Find("[data-testid=lockout-message]").TextContent);
        Assert.Contains("SYNCSERVER_ADMIN_USER", cut.Markup, StringComparison.Ordinal);
    }
}
