using System.Collections;
using System.Globalization;
using System.Text;
using SyncServer.Core.Model;

namespace SyncServer.Web.Formatting;

/// <summary>
/// Turns decoded property values (CLR types as in <see cref="Core.Objects.ObjectCodec"/>) into grid cells by property
/// type: dates as UTC text, vectors abbreviated, bytes as a size or an image preview, relations as links. Stateless.
/// </summary>
internal static class CellFormatter
{
    /// <summary>Vectors show at most this many elements in the cell.</summary>
    public const int VectorPreviewCount = 5;

    /// <summary>Images above this size show only their size (a data: URL this big would slow the page).</summary>
    public const int MaxPreviewBytes = 256 * 1024;

    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.fff 'UTC'";

    public static CellValue Format(ModelProperty property, object? value)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (value is null)
        {
            return CellValue.Empty;
        }

        switch (property.Type)
        {
            case PropertyType.Date when value is long ms:
                return new CellValue(CellKind.Text, FormatDateMs(ms));
            case PropertyType.DateNano when value is long ns:
                return new CellValue(CellKind.Text, FormatDateNs(ns));
            case PropertyType.Relation:
                var id = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
                return id == 0 || property.RelationTarget is null
                    ? new CellValue(CellKind.Text, id == 0 ? "none" : Invariant(id))
                    : new CellValue(CellKind.Relation, $"{property.RelationTarget} {Invariant(id)}", Href: ObjectHref(property.RelationTarget, id));
            case PropertyType.ByteVector when value is byte[] bytes:
                return FormatBytes(bytes, allowImage: true);
            case PropertyType.Flex when value is byte[] flex:
                return new CellValue(CellKind.Bytes, $"FlexBuffers, {SizeText(flex.Length)}");
            case PropertyType.DateVector when value is long[] dates:
                return Vector(dates.Select(FormatDateMs).ToList());
            case PropertyType.DateNanoVector when value is long[] nanos:
                return Vector(nanos.Select(FormatDateNs).ToList());
            case PropertyType.Char when value is char c:
                return new CellValue(CellKind.Text, CharText(c));
            case PropertyType.Bool when value is bool b:
                return new CellValue(CellKind.Text, b ? "true" : "false");
            default:
                break;
        }

        return value switch
        {
            string text => new CellValue(CellKind.Text, text),
            char[] chars => Vector(chars.Select(CharText).ToList()),
            IEnumerable elements => Vector(elements.Cast<object>().Select(Scalar).ToList()),
            _ => new CellValue(CellKind.Text, Scalar(value)),
        };
    }

    /// <summary>The admin page of one object.</summary>
    public static string ObjectHref(string entity, ulong id) => $"data/{Uri.EscapeDataString(entity)}/{Invariant(id)}";

    public static string FormatDateMs(long ms) =>
        ms is >= -62135596800000 and <= 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString(DateFormat, CultureInfo.InvariantCulture)
            : Invariant(ms) + " ms";

    /// <summary>Nanoseconds: the date to the millisecond plus the remaining digits (.123456789).</summary>
    public static string FormatDateNs(long ns)
    {
        var ms = Math.DivRem(ns, 1_000_000L, out var rest);
        if (rest < 0)
        {
            ms--;
            rest += 1_000_000;
        }

        var date = FormatDateMs(ms);
        return date.EndsWith(" UTC", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{date[..^4]}{rest:000000} UTC")
            : Invariant(ns) + " ns";
    }

    public static string SizeText(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.#} GB"),
    };

    /// <summary>The image MIME type when <paramref name="bytes"/> start like a PNG, JPEG, GIF or WebP file.</summary>
    public static string? ImageType(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        return bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : null;
    }

    private static CellValue FormatBytes(byte[] bytes, bool allowImage)
    {
        var size = SizeText(bytes.Length);
        if (allowImage && bytes.Length <= MaxPreviewBytes && ImageType(bytes) is { } type)
        {
            return new CellValue(CellKind.Image, $"{type[6..].ToUpperInvariant()} image, {size}", ImageDataUrl: $"data:{type};base64,{Convert.ToBase64String(bytes)}");
        }

        return new CellValue(CellKind.Bytes, size, FullText: Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64))) + (bytes.Length > 64 ? "…" : ""));
    }

    private static CellValue Vector(List<string> elements)
    {
        var full = "[" + string.Join(", ", elements) + "]";
        if (elements.Count <= VectorPreviewCount)
        {
            return new CellValue(CellKind.Vector, full, full);
        }

        var preview = new StringBuilder("[");
        preview.AppendJoin(", ", elements.Take(VectorPreviewCount));
        preview.Append(CultureInfo.InvariantCulture, $", … ({elements.Count} items)]");
        return new CellValue(CellKind.Vector, preview.ToString(), full);
    }

    private static string CharText(char c) =>
        char.IsControl(c) || char.IsSurrogate(c)
            ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"'{c}' (U+{(int)c:X4})");

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
