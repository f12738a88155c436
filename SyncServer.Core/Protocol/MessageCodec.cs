using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Core.Protocol;

/// <summary>
/// Encodes and decodes whole protocol messages (one per binary WebSocket message). The byte layout of each message is in
/// docs/protocol.md; every message starts with its <see cref="MessageType"/> byte. Decoding is strict: unknown types,
/// short buffers and trailing bytes throw <see cref="ProtocolException"/>.
/// </summary>
public static class MessageCodec
{
    /// <summary>The newest protocol version this code speaks: 2 adds the filter variables to LOGIN.</summary>
    public const ushort ProtocolVersion = 2;

    /// <summary>The oldest protocol version this code speaks (LOGIN without filter variables).</summary>
    public const ushort MinProtocolVersion = 1;

    /// <summary>At most this many filter variables in one LOGIN.</summary>
    public const int MaxFilterVariables = 64;

    /// <summary>A filter variable's name is 1 to this many bytes of UTF-8.</summary>
    public const int MaxFilterVariableNameLength = 64;

    /// <summary>A list filter variable has at most this many values.</summary>
    public const int MaxFilterVariableValues = 1024;

    public const int SchemaHashLength = 32;
    public const int MaxClientIdLength = 64;

    /// <summary>The size of the nonce in CHALLENGE.</summary>
    public const int ChallengeLength = 32;

    public static byte[] Encode(SyncMessage message)
    {
        var writer = new ProtocolWriter();
        writer.WriteByte((byte)message.Type);
        switch (message)
        {
            case LoginMessage login:
                writer.WriteU16(login.ProtocolVersion);
                writer.WriteShortBytes(login.ClientId);
                writer.WriteByte((byte)login.CredentialType);
                writer.WriteBytes(login.Credentials);
                writer.WriteRaw(login.SchemaHash.Length == SchemaHashLength
                    ? login.SchemaHash
                    : throw new ArgumentException($"schema hash must be {SchemaHashLength} bytes", nameof(message)));
                writer.WriteByte((byte)login.Mode);
                writer.WriteU64(login.LastPosition);
                WriteFilterVariables(writer, login);
                break;
            case LoginResultMessage result:
                writer.WriteByte((byte)result.Code);
                writer.WriteI64(result.ServerTimeUnixMs);
                writer.WriteU32(result.ClientNumber);
                writer.WriteU32(result.SchemaVersionId);
                writer.WriteU64(result.LastClientTxId);
                writer.WriteU64(result.HeadPosition);
                writer.WriteString(result.Text);
                break;
            case ApplyTxMessage apply:
                writer.WriteU64(apply.Tx.ClientTxId);
                OpCodec.Write(writer, apply.Tx.Ops);
                break;
            case AckTxMessage ack:
                writer.WriteU64(ack.ClientTxId);
                writer.WriteU64(ack.Position);
                writer.WriteByte((byte)ack.Status);
                writer.WriteU32(ack.PutConflicts);
                break;
            case TxsMessage txs:
                WriteTxs(writer, txs.Historic, txs.Txs);
                break;
            case TxsAppliedMessage applied:
                writer.WriteU64(applied.Position);
                break;
            case RequestUpdatesMessage request:
                writer.WriteByte(request.Subscribe ? (byte)1 : (byte)0);
                break;
            case CancelUpdatesMessage:
                break;
            case UpdatesCompleteMessage complete:
                writer.WriteU64(complete.Position);
                break;
            case FullSyncBeginMessage begin:
                writer.WriteU64(begin.SnapshotPosition);
                break;
            case FullSyncDataMessage data:
                OpCodec.Write(writer, data.Ops);
                break;
            case FullSyncEndMessage end:
                writer.WriteU64(end.SnapshotPosition);
                break;
            case HeartbeatMessage heartbeat:
                writer.WriteI64(heartbeat.TimeUnixMs);
                break;
            case ErrorMessage error:
                writer.WriteU16((ushort)error.Code);
                writer.WriteU64(error.ClientTxId);
                writer.WriteString(error.Text);
                break;
            case HelloMessage:
                break;
            case ChallengeMessage challenge:
                writer.WriteRaw(challenge.Nonce.Length == ChallengeLength
                    ? challenge.Nonce
                    : throw new ArgumentException($"the challenge nonce must be {ChallengeLength} bytes", nameof(message)));
                break;
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }

        return writer.ToArray();
    }

    /// <summary>TXS straight from stored, already encoded operations (what the server sends from its log).</summary>
    public static byte[] EncodeTxs(bool historic, IReadOnlyList<EncodedTx> txs)
    {
        var writer = new ProtocolWriter(64 + txs.Sum(t => t.Ops.Length + 20));
        writer.WriteByte((byte)MessageType.Txs);
        WriteTxs(writer, historic, txs);
        return writer.ToArray();
    }

    /// <param name="data">One whole message.</param>
    /// <param name="maxOpsPerTx">The most operations one APPLY_TX or FULL_SYNC_DATA may hold.</param>
    public static SyncMessage Decode(ReadOnlySpan<byte> data, int maxOpsPerTx = int.MaxValue)
    {
        var reader = new ProtocolReader(data);
        var type = (MessageType)reader.ReadByte("message type");
        SyncMessage message = type switch
        {
            MessageType.Login => ReadLogin(ref reader),
            MessageType.LoginResult => new LoginResultMessage(
                (LoginResultCode)reader.ReadByte("code"),
                reader.ReadI64("server time"),
                reader.ReadU32("client number"),
                reader.ReadU32("schema version"),
                reader.ReadU64("last client TX ID"),
                reader.ReadU64("head position"),
                reader.ReadString("text")),
            MessageType.ApplyTx => new ApplyTxMessage(new ClientTx(reader.ReadU64("client TX ID"), OpCodec.Read(ref reader, maxOpsPerTx))),
            MessageType.AckTx => new AckTxMessage(
                reader.ReadU64("client TX ID"), reader.ReadU64("position"), ReadAckStatus(ref reader), reader.ReadU32("put conflicts")),
            MessageType.Txs => ReadTxs(ref reader),
            MessageType.TxsApplied => new TxsAppliedMessage(reader.ReadU64("position")),
            MessageType.RequestUpdates => new RequestUpdatesMessage(ReadBool(ref reader, "subscribe")),
            MessageType.CancelUpdates => new CancelUpdatesMessage(),
            MessageType.UpdatesComplete => new UpdatesCompleteMessage(reader.ReadU64("position")),
            MessageType.FullSyncBegin => new FullSyncBeginMessage(reader.ReadU64("snapshot position")),
            MessageType.FullSyncData => new FullSyncDataMessage(OpCodec.Read(ref reader, maxOpsPerTx)),
            MessageType.FullSyncEnd => new FullSyncEndMessage(reader.ReadU64("snapshot position")),
            MessageType.Heartbeat => new HeartbeatMessage(reader.ReadI64("time")),
            MessageType.Error => new ErrorMessage((ErrorCode)reader.ReadU16("error code"), reader.ReadU64("client TX ID"), reader.ReadString("text")),
            MessageType.Hello => new HelloMessage(),
            MessageType.Challenge => new ChallengeMessage(reader.ReadFixed(ChallengeLength, "challenge nonce").ToArray()),
            _ => throw ProtocolReader.Malformed($"unknown message type {(byte)type}"),
        };
        reader.ExpectEnd(type.ToString());
        return message;
    }

    private static LoginMessage ReadLogin(ref ProtocolReader reader)
    {
        var version = reader.ReadU16("protocol version");
        if (version is < MinProtocolVersion or > ProtocolVersion)
        {
            // Another version may lay LOGIN out differently: read nothing more, the server answers BAD_VERSION.
            reader = new ProtocolReader([]);
            return new LoginMessage(version, [], CredentialType.None, [], [], RequestUpdatesMode.Manual, 0);
        }

        var clientId = reader.ReadShortBytes("client ID");
        if (clientId.Length == 0 || clientId.Length > MaxClientIdLength)
        {
            throw ProtocolReader.Malformed($"client ID must be 1 to {MaxClientIdLength} bytes, got {clientId.Length}");
        }

        var clientIdCopy = clientId.ToArray();
        var credentialType = (CredentialType)reader.ReadByte("credential type");
        var credentials = reader.ReadBytes("credentials").ToArray();
        var schemaHash = reader.ReadFixed(SchemaHashLength, "schema hash").ToArray();

        var mode = reader.ReadByte("request updates mode");
        if (mode > (byte)RequestUpdatesMode.AutoNoPushes)
        {
            throw ProtocolReader.Malformed($"unknown request updates mode {mode}");
        }

        var lastPosition = reader.ReadU64("last position");
        var variables = version >= 2 ? ReadFilterVariables(ref reader) : null;
        return new LoginMessage(version, clientIdCopy, credentialType, credentials, schemaHash, (RequestUpdatesMode)mode, lastPosition, variables);
    }

    // Version 2: u16 count, then per variable: short bytes name, u8 kind (0 one value, 1 list), then string value, or u16 n
    // and n strings. Version 1 has no such field (and the encoder refuses variables for it).
    private static void WriteFilterVariables(ProtocolWriter writer, LoginMessage login)
    {
        var variables = login.Variables;
        if (login.ProtocolVersion < 2)
        {
            if (variables.Count > 0)
            {
                throw new ArgumentException("filter variables need protocol version 2", nameof(login));
            }

            return;
        }

        if (variables.Count > MaxFilterVariables)
        {
            throw new ArgumentException($"at most {MaxFilterVariables} filter variables, got {variables.Count}", nameof(login));
        }

        writer.WriteU16((ushort)variables.Count);
        foreach (var variable in variables)
        {
            var name = System.Text.Encoding.UTF8.GetBytes(variable.Name);
            if (name.Length is 0 or > MaxFilterVariableNameLength)
            {
                throw new ArgumentException($"filter variable name '{variable.Name}' must be 1 to {MaxFilterVariableNameLength} bytes", nameof(login));
            }

            writer.WriteShortBytes(name);
            if (!variable.IsList)
            {
                if (variable.Values.Count != 1)
                {
                    throw new ArgumentException($"filter variable '{variable.Name}' is not a list and needs exactly one value", nameof(login));
                }

                writer.WriteByte(0);
                writer.WriteString(variable.Values[0]);
                continue;
            }

            if (variable.Values.Count > MaxFilterVariableValues)
            {
                throw new ArgumentException($"filter variable '{variable.Name}' has {variable.Values.Count} values; at most {MaxFilterVariableValues}", nameof(login));
            }

            writer.WriteByte(1);
            writer.WriteU16((ushort)variable.Values.Count);
            foreach (var value in variable.Values)
            {
                writer.WriteString(value);
            }
        }
    }

    private static List<FilterVariable> ReadFilterVariables(ref ProtocolReader reader)
    {
        var count = reader.ReadU16("filter variable count");
        if (count > MaxFilterVariables)
        {
            throw ProtocolReader.Malformed($"{count} filter variables; at most {MaxFilterVariables}");
        }

        var variables = new List<FilterVariable>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var nameBytes = reader.ReadShortBytes("filter variable name");
            string name;
            try
            {
                name = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(nameBytes);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw ProtocolReader.Malformed($"filter variable {i + 1}: name is not valid UTF-8");
            }

            if (name.Length == 0 || nameBytes.Length > MaxFilterVariableNameLength)
            {
                throw ProtocolReader.Malformed($"filter variable {i + 1}: name must be 1 to {MaxFilterVariableNameLength} bytes");
            }

            if (!names.Add(name))
            {
                throw ProtocolReader.Malformed($"filter variable '{name}' is given twice");
            }

            var kind = reader.ReadByte("filter variable kind");
            switch (kind)
            {
                case 0:
                    variables.Add(FilterVariable.Of(name, reader.ReadString($"filter variable '{name}'")));
                    break;
                case 1:
                {
                    var valueCount = reader.ReadU16($"filter variable '{name}' value count");
                    if (valueCount > MaxFilterVariableValues)
                    {
                        throw ProtocolReader.Malformed($"filter variable '{name}' has {valueCount} values; at most {MaxFilterVariableValues}");
                    }

                    var values = new string[valueCount];
                    for (var v = 0; v < valueCount; v++)
                    {
                        values[v] = reader.ReadString($"filter variable '{name}' value {v + 1}");
                    }

                    variables.Add(FilterVariable.List(name, values));
                    break;
                }

                default:
                    throw ProtocolReader.Malformed($"filter variable '{name}': unknown kind {kind} (0 one value, 1 list)");
            }
        }

        return variables;
    }

    private static TxsMessage ReadTxs(ref ProtocolReader reader)
    {
        var historic = ReadBool(ref reader, "historic flag");
        var count = reader.ReadCount("TX count", 24);
        var txs = new List<EncodedTx>(count);
        for (var i = 0; i < count; i++)
        {
            txs.Add(new EncodedTx(reader.ReadU64("TX position"), reader.ReadI64("TX time"), reader.ReadBytes("TX operations").ToArray()));
        }

        return new TxsMessage(historic, txs);
    }

    private static void WriteTxs(ProtocolWriter writer, bool historic, IReadOnlyList<EncodedTx> txs)
    {
        writer.WriteByte(historic ? (byte)1 : (byte)0);
        writer.WriteU32((uint)txs.Count);
        foreach (var tx in txs)
        {
            writer.WriteU64(tx.Position);
            writer.WriteI64(tx.CommittedUnixMs);
            writer.WriteBytes(tx.Ops.Span);
        }
    }

    private static AckStatus ReadAckStatus(ref ProtocolReader reader)
    {
        var status = reader.ReadByte("ACK status");
        return status <= (byte)AckStatus.Duplicate ? (AckStatus)status : throw ProtocolReader.Malformed($"unknown ACK status {status}");
    }

    private static bool ReadBool(ref ProtocolReader reader, string what)
    {
        var value = reader.ReadByte(what);
        return value <= 1 ? value == 1 : throw ProtocolReader.Malformed($"{what} must be 0 or 1, got {value}");
    }
}
