using Bunit;
using MudBlazor.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>bUnit with MudBlazor: loose JS interop, MudBlazor services, async teardown (MudBlazor services are only IAsyncDisposable).</summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    protected BunitTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
