using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Net.WebSockets;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Auth;

/// <summary>wss:// on the sync port and https:// on the admin port with a certificate the test generates (--cert).</summary>
public sealed class TlsProcessTests
{
    private const string Secret = "tls-secret-0123456789";

    [Fact]
    public async Task Clients_sync_over_wss_and_the_admin_UI_answers_over_https_with_Secure_cookies()
    {
        using var dir = new TempDirectory();
        var certificate = TestCertificate.CreatePemFiles(dir.Combine("tls"));
        var config = dir.Combine("sync-server-config.json");
        File.WriteAllText(config, $$"""{ "auth": { "sharedSecret": "{{Secret}}" }, "certificatePath": "tls" }""");
        var model = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));
        var hash = Convert.FromHexString(model.Hash);
        await using var server = await ServerProcess.StartTlsAndWaitAsync(dir.Path, new Dictionary<string, string>(),
            "--model", TestPaths.ExampleModel, "-c", config);
        Assert.Contains(server.Output, line => line.Contains("with SSL", StringComparison.Ordinal));

        // Sync over wss://: one client writes, another catches up.
        await using var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, TestCertificate.Trusting(certificate));
        var login = await writer.LoginWithSecretAsync(hash, Secret, RequestUpdatesMode.Manual);
        Assert.Equal(LoginResultCode.Ok, login.Code);
        var project = model.FindEntity(1)!;
        var id = ((ulong)login.ClientNumber << 40) | 1;
        await writer.SendAsync(new ApplyTxMessage(new ClientTx(1,
            [new PutOp(project.Id.Id, id, ObjectCodec.Encode(project, new Dictionary<uint, object?> { [1] = id, [2] = "over TLS", [3] = 1 }))])));
        Assert.Equal(AckStatus.Applied, (await writer.ExpectAsync<AckTxMessage>()).Status);

        await using var reader = await RawSyncClient.ConnectAsync(server.SyncUrl, TestCertificate.Trusting(certificate));
        Assert.Equal(LoginResultCode.Ok, (await reader.LoginWithSecretAsync(hash, Secret)).Code);
        var (catchUp, _) = await reader.ReceiveUntilAsync<UpdatesCompleteMessage>();
        Assert.Contains(catchUp.OfType<FullSyncDataMessage>().SelectMany(d => d.Ops).OfType<PutOp>(), put => put.ObjectId == id);

        // A client that does not trust the certificate, and one speaking plain ws://, get nowhere.
        await Assert.ThrowsAnyAsync<WebSocketException>(() => RawSyncClient.ConnectAsync(server.SyncUrl));
        await Assert.ThrowsAnyAsync<WebSocketException>(() => RawSyncClient.ConnectAsync(server.SyncPort));

        // The admin UI over https://: pages answer, and its cookies are Secure.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) => cert is not null && cert.RawData.AsSpan().SequenceEqual(certificate.RawData),
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.AdminUrl };
        using var root = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.True(root.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found or HttpStatusCode.Redirect, root.StatusCode.ToString());
        using var loginPage = await http.GetAsync(new Uri("/Account/Login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var cookies = loginPage.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_intermediate_certificates_in_cert_pem_are_sent_so_a_client_trusting_only_the_root_verifies_the_server()
    {
        using var dir = new TempDirectory();
        var (root, intermediate) = TestCertificate.CreateChainPemFiles(dir.Combine("tls"));
        var config = dir.Combine("sync-server-config.json");
        File.WriteAllText(config, $$"""{ "auth": { "sharedSecret": "{{Secret}}" }, "certificatePath": "tls" }""");
        await using var server = await ServerProcess.StartTlsAndWaitAsync(dir.Path, new Dictionary<string, string>(),
            "--model", TestPaths.ExampleModel, "-c", config);

        foreach (var port in new[] { server.SyncPort, server.AdminPort })
        {
            var (sent, verified) = await HandshakeAsync(port, root);
            Assert.Contains(intermediate.Thumbprint, sent);
            Assert.True(verified, $"port {port}: the chain to the root did not verify");
        }
    }

    /// <summary>A TLS handshake with 127.0.0.1:<paramref name="port"/>: the certificates the server sent besides its own,
    /// and whether they chain its certificate up to <paramref name="root"/> (the only trusted root).</summary>
    private static async Task<(List<string> Sent, bool Verified)> HandshakeAsync(int port, X509Certificate2 root)
    {
        List<string> sent = [];
        var verified = false;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, chain, _) =>
        {
            sent = [.. chain!.ChainPolicy.ExtraStore.Select(c => c.Thumbprint)];
            using var own = new X509Chain();
            own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            own.ChainPolicy.CustomTrustStore.Add(root);
            own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            own.ChainPolicy.DisableCertificateDownloads = true;
            own.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            using var serverCertificate = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            verified = own.Build(serverCertificate);
            return verified;
        });
        await tls.AuthenticateAsClientAsync("localhost");
        return (sent, verified);
    }
}
