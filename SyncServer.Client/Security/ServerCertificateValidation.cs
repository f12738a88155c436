using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SyncServer.Client;

/// <summary>The server certificate check of <c>wss://</c> connections with <see cref="SyncClientOptions.TrustedCertificates"/>.</summary>
internal static class ServerCertificateValidation
{
    /// <summary>
    /// Accepts what the system accepts; otherwise, when the only problem is the chain, builds it again with
    /// <paramref name="trusted"/> as the only roots (custom root trust) and accepts it if that succeeds. A wrong host name
    /// or a missing certificate is never accepted.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustingAlso(X509Certificate2Collection trusted) =>
        (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false; // name mismatch or no certificate: no trust list fixes that
            }

            using var leaf = new X509Certificate2(certificate);
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // private roots publish no revocation lists
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        };
}
