using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Tests.Sync.Sessions;

public sealed class FrameHeaderGuardTests
{
    private const int Limit = 1000;

    [Fact]
    public void A_single_frame_over_the_limit_is_known_from_its_header_alone()
    {
        var guard = new FrameHeaderGuard(Limit, Limit);

        guard.Observe(Frame(0x82, Limit + 1, payload: false));

        Assert.True(guard.IsTooLarge(1));
    }

    [Fact]
    public void Frames_up_to_the_limit_control_frames_and_payload_bytes_that_look_like_headers_do_not_count()
    {
        var guard = new FrameHeaderGuard(Limit, Limit);
        byte[] bytes = [.. Frame(0x82, Limit - 1, fill: 0xFF), .. Frame(0x89, 4), .. Frame(0x02, 600), .. Frame(0x89, 0), .. Frame(0x80, 400)];

        foreach (var b in bytes)
        {
            guard.Observe([b]); // one byte at a time: headers split across reads
        }

        Assert.False(guard.IsTooLarge(2));
        guard.Observe(Frame(0x82, 10));
        Assert.False(guard.IsTooLarge(3));
    }

    [Fact]
    public void Fragments_count_together_and_mark_their_message_and_later_ones()
    {
        var guard = new FrameHeaderGuard(Limit, Limit);

        guard.Observe([.. Frame(0x81, 10), .. Frame(0x02, 600), .. Frame(0x00, 300)]);
        Assert.False(guard.IsTooLarge(2));
        guard.Observe(Frame(0x80, 200, payload: false));

        Assert.False(guard.IsTooLarge(1));
        Assert.True(guard.IsTooLarge(2));
        Assert.True(guard.IsTooLarge(3));
    }

    [Fact]
    public void The_limit_before_login_marks_the_first_message_over_it_apart_from_the_session_limit()
    {
        var guard = new FrameHeaderGuard(Limit, maxMessageBytesBeforeLogin: 100);

        guard.Observe([.. Frame(0x82, 100), .. Frame(0x82, 101, payload: false)]);

        Assert.False(guard.IsTooLargeBeforeLogin(1));
        Assert.True(guard.IsTooLargeBeforeLogin(2));
        Assert.False(guard.IsTooLarge(2));
    }

    /// <summary>A masked client frame: first byte (FIN and opcode), 7/16/64-bit length, mask key, payload.</summary>
    private static byte[] Frame(byte first, int length, bool payload = true, byte fill = 0)
    {
        var bytes = new List<byte> { first };
        if (length < 126)
        {
            bytes.Add((byte)(0x80 | length));
        }
        else if (length <= ushort.MaxValue)
        {
            bytes.AddRange([0x80 | 126, (byte)(length >> 8), (byte)length]);
        }
        else
        {
            bytes.Add(0x80 | 127);
            bytes.AddRange(BitConverter.GetBytes((ulong)length).Reverse());
        }

        bytes.AddRange([1, 2, 3, 4]);
        if (payload)
        {
            bytes.AddRange(Enumerable.Repeat(fill, length));
        }

        return [.. bytes];
    }
}
