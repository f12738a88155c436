using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using SyncServer.Web.Components.Shared;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>Admin users: list, create, delete, reset password, lock/unlock, change your own password.</summary>
public sealed partial class Users
{
    private IReadOnlyList<AdminUserInfo> _users = [];
    private string _currentUserId = "";
    private string? _message;
    private bool _messageIsError;
    private string _newName = "";
    private string _newPassword = "";
    private string _ownCurrent = "";
    private string _ownNew = "";
    private AdminUserInfo? _resetUser;
    private string _resetPassword = "";

    [Inject]
    private IAdminUsers AdminUsers { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var state = await AuthenticationState;
            _currentUserId = state.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        }

        _users = await AdminUsers.ListAsync();
    }

    /// <summary>Why the delete button is disabled for <paramref name="user"/>, or null.</summary>
    internal string? DeleteRefusal(AdminUserInfo user) => UserRules.RefuseDelete(_currentUserId, user.Id, _users);

    /// <summary>Why the lock button is disabled for <paramref name="user"/>, or null.</summary>
    internal string? LockRefusal(AdminUserInfo user) => UserRules.RefuseLock(_currentUserId, user.Id, _users);

    private async Task CreateAsync()
    {
        await ShowAsync(await AdminUsers.CreateAsync(_currentUserId, _newName, _newPassword));
        if (!_messageIsError)
        {
            _newName = _newPassword = "";
        }
    }

    private async Task DeleteAsync(AdminUserInfo user)
    {
        var confirmed = await Dialogs.ConfirmAsync(
            $"Delete {user.Name}?",
            [$"The admin user \"{user.Name}\" is deleted for good and can no longer log in. This cannot be undone."],
            "Delete");
        if (confirmed)
        {
            await ShowAsync(await AdminUsers.DeleteAsync(_currentUserId, user.Id));
        }
    }

    private async Task SetLockedAsync(AdminUserInfo user, bool locked) =>
        await ShowAsync(await AdminUsers.SetLockedAsync(_currentUserId, user.Id, locked));

    private void StartReset(AdminUserInfo user)
    {
        _resetUser = user;
        _resetPassword = "";
    }

    private async Task ResetAsync()
    {
        if (_resetUser is null)
        {
            return;
        }

        await ShowAsync(await AdminUsers.ResetPasswordAsync(_currentUserId, _resetUser.Id, _resetPassword));
        if (!_messageIsError)
        {
            _resetUser = null;
        }
    }

    private async Task ChangeOwnAsync()
    {
        await ShowAsync(await AdminUsers.ChangeOwnPasswordAsync(_currentUserId, _ownCurrent, _ownNew));
        if (!_messageIsError)
        {
            _ownCurrent = _ownNew = "";
        }
    }

    private async Task ShowAsync(UserResult result)
    {
        _message = result.Message;
        _messageIsError = !result.Succeeded;
        _users = await AdminUsers.ListAsync();
    }
}
