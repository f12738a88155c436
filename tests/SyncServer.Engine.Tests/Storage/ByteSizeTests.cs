using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Tests.Storage;

public class ByteSizeTests
{
    [Theory]
    [InlineData("512", 512L)]
    [InlineData("512B", 512L)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("64KB", 64L * 1024)]
    [InlineData("64 KB", 64L * 1024)]
    [InlineData("64KiB", 64L * 1024)]
    [InlineData("100M", 100L * 1024 * 1024)]
    [InlineData("10MB", 10L * 1024 * 1024)]
    [InlineData("10mb", 10L * 1024 * 1024)]
    [InlineData("1G", 1L << 30)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("2T", 2L << 40)]
    [InlineData(" 3M ", 3L << 20)]
    public void Parses_sizes_with_binary_units(string text, long expected)
    {
        Assert.Equal(expected, ByteSize.Parse(text).Bytes);
        Assert.True(ByteSize.TryParse(text, out var size));
        Assert.Equal(expected, size.Bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("0K")]
    [InlineData("-5M")]
    [InlineData("1.5G")]
    [InlineData("10X")]
    [InlineData("M")]
    [InlineData("10 M B")]
    [InlineData("10MBB")]
    [InlineData("10iB")]
    [InlineData("ten")]
    [InlineData("99999999999999999999")]
    public void Rejects_garbage_zero_and_negative_sizes_naming_the_text(string? text)
    {
        var ex = Assert.Throws<FormatException>(() => ByteSize.Parse(text));

        Assert.StartsWith($"Invalid size '{text}':", ex.Message, StringComparison.Ordinal);
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_a_size_that_overflows()
    {
        var ex = Assert.Throws<FormatException>(() => ByteSize.Parse("10000000T"));

        Assert.Equal("Invalid size '10000000T': too large", ex.Message);
    }

    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1L, "1 B")]
    [InlineData(64L * 1024, "64 KB")]
    [InlineData(100L * 1024 * 1024, "100 MB")]
    [InlineData(1L << 30, "1 GB")]
    [InlineData(2L << 40, "2 TB")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(1000L, "1000 B")]
    [InlineData(0L, "0 B")]
    public void Formats_with_the_largest_fitting_unit(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
        Assert.Equal(expected, new ByteSize(bytes).ToString());
    }

    [Theory]
    [InlineData("512")]
    [InlineData("64K")]
    [InlineData("100M")]
    [InlineData("1G")]
    [InlineData("2T")]
    public void Round_trips_whole_units(string text)
    {
        var size = ByteSize.Parse(text);

        Assert.Equal(size, ByteSize.Parse(size.ToString()));
    }
}
