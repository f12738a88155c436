using MudBlazor;

namespace SyncServer.Web.Components.Shared;

/// <summary>Shows <see cref="ConfirmDialog"/> and waits for the answer.</summary>
internal static class ConfirmDialogs
{
    /// <summary>True when the user pressed <paramref name="confirmText"/>; false on Cancel, Escape or a click outside.</summary>
    public static async Task<bool> ConfirmAsync(
        this IDialogService dialogs, string title, IReadOnlyList<string> lines, string confirmText, Color confirmColor = Color.Error)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Lines, lines },
            { d => d.ConfirmText, confirmText },
            { d => d.ConfirmColor, confirmColor },
        };
        var options = new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }
}
