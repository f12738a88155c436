using System.Buffers.Binary;
using System.Text;

namespace SyncServer.Core.Protocol;

/// <summary>
/// Reads little-endian protocol values from untrusted bytes: every read is bounds-checked and a short buffer throws
/// <see cref="ProtocolException"/> (<see cref="ErrorCode.Malformed"/>) naming what was being read.
/// </summary>
public ref struct ProtocolReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte(string what) => Take(1, what)[0];

    public ushort ReadU16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint ReadU32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadU64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public long ReadI64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    /// <summary>u32 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(string what)
    {
        var length = ReadU32(what + " length");
        return length > (uint)Remaining
            ? throw Malformed($"{what}: length {length} but only {Remaining} bytes left")
            : Take((int)length, what);
    }

    /// <summary>Exactly <paramref name="length"/> bytes, no length prefix.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length, string what) => Take(length, what);

    /// <summary>u8 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadShortBytes(string what) => Take(ReadByte(what + " length"), what);

    public string ReadString(string what)
    {
        var bytes = ReadBytes(what);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"{what} is not valid UTF-8");
        }
    }

    /// <summary>A count of items that each take at least <paramref name="minItemSize"/> bytes: refuses counts the rest of
    /// the message cannot hold, so a hostile count never allocates.</summary>
    public int ReadCount(string what, int minItemSize)
    {
        var count = ReadU32(what);
        return count > (uint)(Remaining / Math.Max(1, minItemSize))
            ? throw Malformed($"{what} {count} does not fit in the {Remaining} bytes left")
            : (int)count;
    }

    /// <summary>Throws unless every byte was read: trailing bytes mean the sender and receiver disagree on the format.</summary>
    public readonly void ExpectEnd(string message)
    {
        if (Remaining != 0)
        {
            throw Malformed($"{message}: {Remaining} unexpected bytes after the end");
        }
    }

    public static ProtocolException Malformed(string message) => new(ErrorCode.Malformed, message);

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Malformed($"{what}: needs {count} bytes, only {Remaining} left");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
