using SyncServer.Core.Model;

namespace SyncServer.Client.Typed;

/// <summary>The CLR type that carries each property type in decoded objects (docs/objects.md; the same mapping as
/// ObjectCodec's). Stateless.</summary>
internal static class ModelClrTypes
{
    public static Type? Of(ModelProperty property)
    {
        var unsigned = property.Flags.HasFlag(PropertyFlags.Unsigned);
        return property.Type switch
        {
            PropertyType.Bool => typeof(bool),
            PropertyType.Byte => unsigned ? typeof(byte) : typeof(sbyte),
            PropertyType.Short => unsigned ? typeof(ushort) : typeof(short),
            PropertyType.Char => typeof(char),
            PropertyType.Int => unsigned ? typeof(uint) : typeof(int),
            PropertyType.Long => unsigned || property.IsIdProperty ? typeof(ulong) : typeof(long),
            PropertyType.Float => typeof(float),
            PropertyType.Double => typeof(double),
            PropertyType.String => typeof(string),
            PropertyType.Date or PropertyType.DateNano => typeof(long),
            PropertyType.Relation => typeof(ulong),
            PropertyType.Flex or PropertyType.ByteVector => typeof(byte[]),
            PropertyType.BoolVector => typeof(bool[]),
            PropertyType.ShortVector => unsigned ? typeof(ushort[]) : typeof(short[]),
            PropertyType.CharVector => typeof(char[]),
            PropertyType.IntVector => unsigned ? typeof(uint[]) : typeof(int[]),
            PropertyType.LongVector => unsigned ? typeof(ulong[]) : typeof(long[]),
            PropertyType.FloatVector => typeof(float[]),
            PropertyType.DoubleVector => typeof(double[]),
            PropertyType.StringVector => typeof(string[]),
            PropertyType.DateVector or PropertyType.DateNanoVector => typeof(long[]),
            _ => null,
        };
    }
}
