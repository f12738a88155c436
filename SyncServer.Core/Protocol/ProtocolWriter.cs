using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SyncServer.Core.Protocol;

/// <summary>Appends little-endian protocol values to a growing buffer. One per message being built; not thread-safe.</summary>
public sealed class ProtocolWriter(int initialCapacity = 256)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteU16(ushort value) => Write(value, 2, BinaryPrimitives.WriteUInt16LittleEndian);

    public void WriteU32(uint value) => Write(value, 4, BinaryPrimitives.WriteUInt32LittleEndian);

    public void WriteU64(ulong value) => Write(value, 8, BinaryPrimitives.WriteUInt64LittleEndian);

    public void WriteI64(long value) => Write(value, 8, BinaryPrimitives.WriteInt64LittleEndian);

    /// <summary>u32 length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>u8 length (at most 255), then the bytes.</summary>
    public void WriteShortBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > byte.MaxValue)
        {
            throw new ArgumentException($"at most {byte.MaxValue} bytes, got {bytes.Length}", nameof(bytes));
        }

        WriteByte((byte)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>UTF-8, as <see cref="WriteBytes"/>.</summary>
    public void WriteString(string value) => WriteBytes(Encoding.UTF8.GetBytes(value));

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    private void Write<T>(T value, int size, SpanAction<T> write)
    {
        write(_buffer.GetSpan(size), value);
        _buffer.Advance(size);
    }

    private delegate void SpanAction<in T>(Span<byte> span, T value);
}
