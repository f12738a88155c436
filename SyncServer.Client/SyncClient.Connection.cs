using System.Net.WebSockets;
using SyncServer.Client.Store;
using SyncServer.Client.Sync;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client;

/// <summary>The connection loop: connect to each URL in turn, LOGIN, run the session, reconnect with backoff.</summary>
public sealed partial class SyncClient
{
    /// <summary>LOGIN without filter variables: the version every server speaks.</summary>
    private const ushort LoginVersionWithoutVariables = 1;

    /// <summary>LOGIN with filter variables (docs/protocol.md "Protocol versions").</summary>
    private const ushort LoginVersionWithVariables = 2;

    private SyncConnection? _connection;
    private bool _reconnectNow;

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        var urlIndex = 0;
        while (!stop.IsCancellationRequested && !_stopping && _state is not SyncState.Dead)
        {
            var url = _options.ServerUrls[urlIndex++ % _options.ServerUrls.Count];
            var wake = _wake.WaitAsync(CancellationToken.None);
            var loggedIn = await RunConnectionAsync(url, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested || _stopping || _state is SyncState.Dead)
            {
                break;
            }

            failures = loggedIn ? 0 : failures + 1;
            bool now;
            lock (_gate)
            {
                now = _reconnectNow;
                _reconnectNow = false;
            }

            if (now)
            {
                failures = 0;
                continue;
            }

            var delays = _options.ReconnectDelays;
            var delay = delays.Count == 0 ? TimeSpan.Zero : delays[Math.Min(Math.Max(failures - 1, 0), delays.Count - 1)];
            await Task.WhenAny(Task.Delay(delay, stop), wake).ConfigureAwait(false);
            lock (_gate)
            {
                _reconnectNow = false;
            }
        }
    }

    /// <summary>Applies <paramref name="change"/> (under the lock, so no login in between reads half of it) and, when the
    /// client is running, ends the current connection (if any) with a close handshake and connects again at once.</summary>
    private void Reconnect(string why, Action change)
    {
        SyncConnection? connection;
        lock (_gate)
        {
            change();
            if (_loop is null || _stopping)
            {
                return; // not started (or stopped): the next login uses the change
            }

            _reconnectNow = true;
            connection = _connection;
        }

        connection?.Close($"reconnecting ({why})", StopCloseWait);
        _wake.Set();
    }

    /// <returns>Whether the login succeeded on this connection.</returns>
    private async Task<bool> RunConnectionAsync(Uri url, CancellationToken stop)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the protocol has its own heartbeats
        if (_options.TrustedCertificates is { Count: > 0 } trusted)
        {
            socket.Options.RemoteCertificateValidationCallback = ServerCertificateValidation.TrustingAlso(trusted);
        }
        using var connection = new SyncConnection(url, socket, lifetime);
        var reason = "connection closed";
        Exception? failure = null;
        var wasConnected = false;
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token))
            {
                timeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
                {
                    throw new TimeoutException($"no connection within {_options.ConnectTimeout.TotalSeconds:0} s");
                }
            }

            wasConnected = true;
            lock (_gate)
            {
                _connection = connection;
            }

            SetState(SyncState.Connected);
            Raise(Connected);
            SyncCredentials credentials;
            lock (_gate)
            {
                credentials = _credentials;
            }

            var challenge = credentials.NeedsChallenge ? await ReceiveChallengeAsync(connection).ConfigureAwait(false) : [];
            await connection.SendAsync(CreateLogin(credentials, challenge)).ConfigureAwait(false);
            reason = await ReceiveLoopAsync(connection).ConfigureAwait(false);
            if (_stopping)
            {
                reason = "stopped"; // the server's close frame answered ours (StopAsync)
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            reason = stop.IsCancellationRequested ? "stopped" : connection.EndReason ?? "connection ended";
        }
#pragma warning disable CA1031 // any failure of one connection means: disconnect, report, retry
        catch (Exception e)
#pragma warning restore CA1031
        {
            reason = connection.EndReason ?? Describe(e);
            failure = connection.EndReason is null ? e : null;
        }
        finally
        {
            connection.Abort(reason);
            try
            {
                await Task.WhenAll(connection.Workers).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the workers' failures ended the connection; the reason is recorded
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            if (wasConnected)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }

            lock (_gate)
            {
                _connection = null;
                _fullSync = null;
                _pending.Protected = null;
            }
        }

        if (!stop.IsCancellationRequested)
        {
            SetState(_state is SyncState.Dead ? SyncState.Dead : SyncState.Disconnected);
        }

        Raise(Disconnected, new DisconnectedEventArgs(url, reason, failure));
        return connection.LoggedIn;
    }

    /// <summary>The exception and its causes (a TLS failure is inside "Unable to connect"), for the Disconnected reason.</summary>
    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text += $" ({inner.Message})";
        }

        return text;
    }

    /// <summary>HELLO, then the server's CHALLENGE nonce (for a shared-secret login).</summary>
    private async Task<byte[]> ReceiveChallengeAsync(SyncConnection connection)
    {
        await connection.SendAsync(new HelloMessage()).ConfigureAwait(false);
        var bytes = await connection.ReceiveAsync(_options.ReceiveTimeout).ConfigureAwait(false)
            ?? throw new IOException(connection.EndReason ?? "the server closed the connection before its CHALLENGE");
        return MessageCodec.Decode(bytes.Span) switch
        {
            ChallengeMessage challenge => challenge.Nonce,
            ErrorMessage error => throw new ProtocolException(error.Code,
                $"the server refused HELLO ({error.Code}: {error.Text}); it may not support shared-secret logins"),
            var other => throw new ProtocolException(ErrorCode.UnexpectedMessage, $"the server answered HELLO with {other.Type}"),
        };
    }

    /// <summary>LOGIN as protocol version 1 without filter variables (every server speaks it), version 2 with them.</summary>
    private LoginMessage CreateLogin(SyncCredentials credentials, ReadOnlySpan<byte> challenge)
    {
        lock (_gate)
        {
            var variables = FilterVariableRules.ToWire(_filterVariables);
            return new LoginMessage(
                variables.Count == 0 ? LoginVersionWithoutVariables : LoginVersionWithVariables,
                _clientId,
                credentials.Type,
                credentials.ForLogin(challenge, _clientId),
                _model.HashBytes,
                _options.RequestUpdates,
                _store.GetMeta(MetaKeys.Position),
                variables);
        }
    }

    /// <summary>Sends HEARTBEAT when nothing was sent for the heartbeat interval.</summary>
    private async Task HeartbeatLoopAsync(SyncConnection connection)
    {
        var interval = _options.HeartbeatInterval;
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(interval.Ticks / 5, TimeSpan.TicksPerMillisecond)));
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Token).ConfigureAwait(false))
            {
                if (connection.IdleFor >= interval)
                {
                    await connection.SendAsync(new HeartbeatMessage(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (connection.Token.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a failed send ends the connection
        catch (Exception e)
#pragma warning restore CA1031
        {
            connection.Abort($"heartbeat failed: {e.Message}");
        }
    }
}
