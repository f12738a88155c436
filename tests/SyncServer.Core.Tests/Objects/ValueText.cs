using System.Globalization;
using System.Text;

namespace SyncServer.Core.Tests.Objects;

/// <summary>
/// Bit-exact text of decoded values, so Assert.Equal compares types, floats by their bits (NaN payloads, -0) and arrays
/// element by element, and shows a readable difference when they differ.
/// </summary>
internal static class ValueText
{
    /// <summary>The non-null values, by property ID.</summary>
    public static SortedDictionary<uint, string> Of(IReadOnlyDictionary<uint, object?> values) =>
        new(values.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => Of(pair.Value)));

    public static string Of(object? value) => value switch
    {
        null => "null",
        float v => string.Create(CultureInfo.InvariantCulture, $"float 0x{BitConverter.SingleToUInt32Bits(v):X8} ({v:R})"),
        double v => string.Create(CultureInfo.InvariantCulture, $"double 0x{BitConverter.DoubleToUInt64Bits(v):X16} ({v:R})"),
        char v => string.Create(CultureInfo.InvariantCulture, $"char U+{(int)v:X4}"),
        string v => $"string \"{Escape(v)}\"",
        Array array => $"{array.GetType().GetElementType()!.Name}[{string.Join(", ", array.Cast<object>().Select(Of))}]",
        IFormattable v => $"{value.GetType().Name} {v.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"{value.GetType().Name} {value}",
    };

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c is < ' ' or > '~' ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString());
        }

        return builder.ToString();
    }
}
