using System.Security.Cryptography.X509Certificates;
using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>Settings of a <see cref="SyncClient"/>; checked by its constructor.</summary>
public sealed class SyncClientOptions
{
    /// <summary>The server's sync URLs (<c>ws://</c> or <c>wss://</c>), tried in turn on every reconnect.</summary>
    public IReadOnlyList<Uri> ServerUrls { get; init; } = [];

    public SyncCredentials Credentials { get; init; } = SyncCredentials.None;

    /// <summary>
    /// For <c>wss://</c>: certificates to trust in addition to the system's roots, e.g. the server's self-signed certificate
    /// or a private CA (load PEM files with <see cref="LoadCertificates"/>). The server certificate must still be valid
    /// for the host name and within its dates; a chain ending in one of these is accepted. Empty: the system's roots only.
    /// </summary>
    public X509Certificate2Collection TrustedCertificates { get; init; } = [];

    /// <summary>The app's objectbox-model.json text; its hash must match a schema version the server accepts.</summary>
    public required string ModelJson { get; init; }

    /// <summary>Folder of the local database (created if missing). One client per folder: a second
    /// <see cref="SyncClient"/> on a folder that is open (in this or another process) throws <see cref="IOException"/>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The client's filter variables, sent at login: the values of <c>$client.&lt;name&gt;</c> in the server's sync filters
    /// (docs/filters.md), each one string or a list of strings (<see cref="FilterVariableValue"/>), e.g.
    /// <c>new Dictionary&lt;string, FilterVariableValue&gt; { ["team"] = "green", ["groups"] = ["a", "b"] }</c>. At most
    /// <see cref="MessageCodec.MaxFilterVariables"/> variables, names of 1 to <see cref="MessageCodec.MaxFilterVariableNameLength"/>
    /// bytes of UTF-8, lists of at most <see cref="MessageCodec.MaxFilterVariableValues"/> values, no null values.
    /// Without variables LOGIN goes as protocol version 1, which every server speaks; with them as version 2. Change them
    /// later with <see cref="SyncClient.SetFilterVariables"/>.
    /// </summary>
    public IReadOnlyDictionary<string, FilterVariableValue> FilterVariables { get; init; } = new Dictionary<string, FilterVariableValue>();

    /// <summary>What the server sends after login (see docs/protocol.md); <see cref="RequestUpdatesMode.Auto"/> by default.</summary>
    public RequestUpdatesMode RequestUpdates { get; init; } = RequestUpdatesMode.Auto;

    /// <summary>How long a connection attempt (TCP + WebSocket handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A HEARTBEAT is sent when nothing was sent for this long.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The connection is dropped (and re-established) when nothing arrived for this long.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Reconnect delays, one per failed attempt in a row; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
        [.. new[] { 0.5, 1, 2, 4, 8, 15, 30, 60 }.Select(TimeSpan.FromSeconds)];

    /// <summary>At most this many TXs are sent before their ACKs arrive.</summary>
    public int MaxTxsInFlight { get; init; } = 1000;

    /// <summary>Every certificate in PEM (or DER) files, for <see cref="TrustedCertificates"/>.</summary>
    public static X509Certificate2Collection LoadCertificates(params IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var certificates = new X509Certificate2Collection();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                certificates.ImportFromPem(text);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
        }

        return certificates;
    }
}
