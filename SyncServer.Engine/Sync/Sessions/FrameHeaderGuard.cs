namespace SyncServer.Engine.Sync.Sessions;

// One per connection; fed by the connection's reads (one reader at a time), read by its session's receive loop after
// each of its reads returned (the same logical thread of reads), so plain fields suffice.
/// <summary>
/// Reads the WebSocket frame headers (RFC 6455, section 5.2) of what a client sends, as the bytes pass from the
/// connection to the WebSocket, and adds up each message's declared payload length. So a message larger than the limit
/// is known from its first frame header, before its payload arrives: the session refuses it with ERROR MessageTooLarge
/// without buffering it (docs/protocol.md). Two limits: the session's (after login) and the smaller one before login.
/// Wrap the upgraded connection's stream with <see cref="Wrap"/>.
/// </summary>
public sealed class FrameHeaderGuard(int maxMessageBytes, int maxMessageBytesBeforeLogin)
{
    private State _state = State.First;
    private byte _first;
    private int _extendedBytes;
    private int _maskBytes;
    private ulong _length;
    private ulong _payloadLeft;
    private ulong _messageLength;
    private long _messages;
    private long _firstTooLarge;
    private long _firstTooLargeBeforeLogin;

    private enum State
    {
        First,
        Second,
        ExtendedLength,
        Mask,
        Payload,
    }

    /// <summary>True when data message number <paramref name="message"/> (1 for the connection's first) declared more
    /// than the limit in the frame headers read so far.</summary>
    public bool IsTooLarge(long message) => _firstTooLarge != 0 && _firstTooLarge <= message;

    /// <summary>As <see cref="IsTooLarge"/>, for the limit before login (the session asks this while not logged in).</summary>
    public bool IsTooLargeBeforeLogin(long message) => _firstTooLargeBeforeLogin != 0 && _firstTooLargeBeforeLogin <= message;

    /// <summary>A stream that passes everything through and feeds what is read to this guard.</summary>
    public Stream Wrap(Stream connection) => new FrameHeaderGuardStream(connection, this);

    /// <summary>Parses <paramref name="bytes"/>, the next bytes the client sent.</summary>
    internal void Observe(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.First:
                    _first = bytes[i++];
                    _state = State.Second;
                    break;
                case State.Second:
                {
                    var second = bytes[i++];
                    _maskBytes = (second & 0x80) != 0 ? 4 : 0;
                    _length = (ulong)(second & 0x7F);
                    _extendedBytes = _length switch { 126 => 2, 127 => 8, _ => 0 };
                    if (_extendedBytes > 0)
                    {
                        _length = 0;
                        _state = State.ExtendedLength;
                    }
                    else
                    {
                        AfterLength();
                    }

                    break;
                }

                case State.ExtendedLength:
                    _length = (_length << 8) | bytes[i++];
                    if (--_extendedBytes == 0)
                    {
                        AfterLength();
                    }

                    break;
                case State.Mask:
                {
                    var take = Math.Min(_maskBytes, bytes.Length - i);
                    i += take;
                    _maskBytes -= take;
                    if (_maskBytes == 0)
                    {
                        HeaderDone();
                    }

                    break;
                }

                case State.Payload:
                {
                    var take = (int)Math.Min(_payloadLeft, (ulong)(bytes.Length - i));
                    i += take;
                    _payloadLeft -= (ulong)take;
                    if (_payloadLeft == 0)
                    {
                        _state = State.First;
                    }

                    break;
                }
            }
        }
    }

    private void AfterLength()
    {
        if (_maskBytes > 0)
        {
            _state = State.Mask;
        }
        else
        {
            HeaderDone();
        }
    }

    private void HeaderDone()
    {
        var opcode = _first & 0x0F;
        if (opcode is 1 or 2)
        {
            _messages++;
            _messageLength = _length;
        }
        else if (opcode == 0)
        {
            _messageLength += Math.Min(_length, ulong.MaxValue - _messageLength);
        }

        if (opcode <= 2 && _messageLength > (ulong)maxMessageBytes && _firstTooLarge == 0)
        {
            _firstTooLarge = Math.Max(_messages, 1);
        }

        if (opcode <= 2 && _messageLength > (ulong)maxMessageBytesBeforeLogin && _firstTooLargeBeforeLogin == 0)
        {
            _firstTooLargeBeforeLogin = Math.Max(_messages, 1);
        }

        _payloadLeft = _length;
        _state = _length > 0 ? State.Payload : State.First;
    }
}
