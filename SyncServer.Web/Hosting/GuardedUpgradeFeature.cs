using Microsoft.AspNetCore.Http.Features;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Web.Hosting;

/// <summary>The HTTP/1.1 upgrade of a sync connection, with the upgraded stream read through a <see cref="FrameHeaderGuard"/>.</summary>
internal sealed class GuardedUpgradeFeature(IHttpUpgradeFeature inner, FrameHeaderGuard guard) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => guard.Wrap(await inner.UpgradeAsync());
}
