using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SyncServer.Engine.Storage;

/// <summary>
/// A size in bytes as written on the command line (<c>--db-max-size</c>): a positive whole number with an optional
/// binary unit K, M, G or T (1024-based, case-insensitive), optionally followed by "B" or "iB": "512", "64K", "100M",
/// "10MB", "1G", "2TiB". Formats back as "512 B", "64 KB", "100 MB", "1 GB".
/// </summary>
public readonly record struct ByteSize(long Bytes)
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    /// <exception cref="FormatException">Not a positive size; the message names the text.</exception>
    public static ByteSize Parse(string? text) =>
        TryParse(text, out var size, out var error) ? size : throw new FormatException(error);

    public static bool TryParse(string? text, out ByteSize size) => TryParse(text, out size, out _);

    /// <summary>Parses a size; on failure <paramref name="error"/> names the text and the accepted forms.</summary>
    public static bool TryParse(string? text, out ByteSize size, [NotNullWhen(false)] out string? error)
    {
        size = default;
        error = $"Invalid size '{text}': expected a positive whole number with an optional unit K, M, G or T "
            + "(1024-based, e.g. 512, 64K, 100M, 1G)";
        var span = (text ?? string.Empty).AsSpan().Trim();

        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0
            || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number == 0
            || !TryParseUnit(span[digits..].TrimStart(), out var shift))
        {
            return false;
        }

        if (number > long.MaxValue >> shift)
        {
            error = $"Invalid size '{text}': too large";
            return false;
        }

        size = new ByteSize(number << shift);
        error = null;
        return true;
    }

    /// <summary>"1 GB", "100 MB", "64 KB", "512 B"; sizes that are not whole units get up to two decimals ("1.5 KB").</summary>
    public static string Format(long bytes)
    {
        var unit = 0;
        var magnitude = Math.Abs((double)bytes);
        while (unit < Units.Length - 1 && magnitude >= 1024)
        {
            magnitude /= 1024;
            unit++;
        }

        var value = Math.Sign(bytes) * magnitude;
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {Units[unit]}");
    }

    public override string ToString() => Format(Bytes);

    // "", "B", "K", "KB", "KiB", ... ; shift is log2 of the multiplier.
    private static bool TryParseUnit(ReadOnlySpan<char> unit, out int shift)
    {
        shift = 0;
        if (unit.IsEmpty || unit.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        shift = char.ToUpperInvariant(unit[0]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => -1,
        };
        var rest = unit[1..];
        return shift > 0
            && (rest.IsEmpty
                || rest.Equals("B", StringComparison.OrdinalIgnoreCase)
                || rest.Equals("iB", StringComparison.OrdinalIgnoreCase));
    }
}
