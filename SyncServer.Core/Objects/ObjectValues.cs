using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>
/// Checks caller-supplied values against the CLR type mapping and brings them to the one CLR type of their kind
/// (an <c>int</c> for a Long property becomes a <c>long</c>). Stateless.
/// </summary>
internal static class ObjectValues
{
    /// <summary>
    /// Looks up every key and normalises every non-null value (nulls are kept as null). A property without a type can
    /// only be null.
    /// </summary>
    /// <returns>The values with their properties, in property ID order.</returns>
    public static List<(ModelProperty Property, ValueKind Kind, object? Value)> Normalize(
        ModelEntity entity, IReadOnlyDictionary<uint, object?> values)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(values);
        var fields = new List<(ModelProperty, ValueKind, object?)>(values.Count);
        foreach (var (id, value) in values.OrderBy(pair => pair.Key))
        {
            var property = entity.FindProperty(id)
                ?? throw new ObjectFormatException($"Entity \"{entity.Name}\" has no property with ID {id}.");
            var kind = ValueKinds.Of(property);
            if (kind == ValueKind.None && value is not null)
            {
                throw new ObjectFormatException(
                    $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} has no known type; it cannot hold a value.");
            }

            fields.Add((property, kind, value is null ? null : Normalize(entity, property, kind, value)));
        }

        return fields;
    }

    /// <summary>The value as the CLR type of <paramref name="kind"/>; other integer types are accepted when the value fits.</summary>
    public static object Normalize(ModelEntity entity, ModelProperty property, ValueKind kind, object value)
    {
        if (value.GetType() == ValueKinds.ClrType(kind))
        {
            return kind switch
            {
                ValueKind.String => CheckUtf16(entity, property, (string)value, -1),
                ValueKind.StringVector => CheckStrings(entity, property, (string[])value),
                _ => value,
            };
        }

        if (kind is >= ValueKind.SByte and <= ValueKind.ULong && kind != ValueKind.Char && TryGetInteger(value, out var number))
        {
            return ConvertInteger(entity, property, kind, number);
        }

        throw new ObjectFormatException(
            $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} expects {ValueKinds.ClrName(kind)}, " +
            $"got {Describe(value)}.");
    }

    private static object ConvertInteger(ModelEntity entity, ModelProperty property, ValueKind kind, Int128 number)
    {
        (Int128 min, Int128 max) = kind switch
        {
            ValueKind.SByte => (sbyte.MinValue, sbyte.MaxValue),
            ValueKind.Byte => (byte.MinValue, byte.MaxValue),
            ValueKind.Short => (short.MinValue, short.MaxValue),
            ValueKind.UShort => (ushort.MinValue, ushort.MaxValue),
            ValueKind.Int => (int.MinValue, int.MaxValue),
            ValueKind.UInt => (uint.MinValue, uint.MaxValue),
            ValueKind.Long => (long.MinValue, long.MaxValue),
            _ => ((Int128)ulong.MinValue, (Int128)ulong.MaxValue),
        };
        if (number < min || number > max)
        {
            throw new ObjectFormatException(
                $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} expects {ValueKinds.ClrName(kind)}, " +
                string.Create(CultureInfo.InvariantCulture, $"got {number}, which is out of its range {min}..{max}."));
        }

        return kind switch
        {
            ValueKind.SByte => (sbyte)number,
            ValueKind.Byte => (byte)number,
            ValueKind.Short => (short)number,
            ValueKind.UShort => (ushort)number,
            ValueKind.Int => (int)number,
            ValueKind.UInt => (uint)number,
            ValueKind.Long => (long)number,
            _ => (object)(ulong)number,
        };
    }

    private static bool TryGetInteger(object value, out Int128 number)
    {
        switch (value)
        {
            case sbyte v: number = v; return true;
            case byte v: number = v; return true;
            case short v: number = v; return true;
            case ushort v: number = v; return true;
            case int v: number = v; return true;
            case uint v: number = v; return true;
            case long v: number = v; return true;
            case ulong v: number = v; return true;
            default: number = 0; return false;
        }
    }

    private static string[] CheckStrings(ModelEntity entity, ModelProperty property, string[] strings)
    {
        for (var i = 0; i < strings.Length; i++)
        {
            if (strings[i] is null)
            {
                throw new ObjectFormatException(
                    $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)}: element {i} is null; a string vector cannot hold null.");
            }

            CheckUtf16(entity, property, strings[i], i);
        }

        return strings;
    }

    /// <summary>Refuses lone surrogates: they have no UTF-8 form, so they could not round-trip.</summary>
    private static string CheckUtf16(ModelEntity entity, ModelProperty property, string text, int element)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                var where = element < 0 ? string.Empty : $"element {element}: ";
                throw new ObjectFormatException(
                    $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)}: {where}lone surrogate U+{(int)text[i]:X4} " +
                    $"at index {i}; strings must be valid UTF-16 to be stored as UTF-8.");
            }
        }

        return text;
    }

    private static string Describe(object value) => value switch
    {
        string => "a string",
        Array => ValueKinds.CSharpName(value.GetType()),
        IFormattable formattable => $"{ValueKinds.CSharpName(value.GetType())} {formattable.ToString(null, CultureInfo.InvariantCulture)}",
        _ => ValueKinds.CSharpName(value.GetType()),
    };
}
