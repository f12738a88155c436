using System.Security.Cryptography.X509Certificates;

namespace SyncServer.Client.Cli;

/// <summary>How sync-client logs in, as read from the command line and the files it names.</summary>
/// <param name="Credentials">At most one kind, <see cref="SyncCredentials.None"/> without credential options.</param>
/// <param name="TrustedCertificates">From <c>--trusted-cert</c>, for <see cref="SyncClientOptions.TrustedCertificates"/>.</param>
internal sealed record ClientLogin(SyncCredentials Credentials, X509Certificate2Collection TrustedCertificates);
