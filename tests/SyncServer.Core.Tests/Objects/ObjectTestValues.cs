namespace SyncServer.Core.Tests.Objects;

/// <summary>Value sets by property name: extremes, zeros and the floats and strings that break naive codecs.</summary>
internal static class ObjectTestValues
{
    public static float Float(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    public static double Double(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    /// <summary>NaNs with payloads (quiet, signalling, negative) and the other special floats.</summary>
    public static float[] SpecialFloats =>
    [
        Float(0x7FC12345), Float(0x7F800001), Float(0xFFC00001), -0f, 0f, float.Epsilon, -float.Epsilon,
        float.PositiveInfinity, float.NegativeInfinity, float.MinValue, float.MaxValue, 0.1f,
    ];

    public static double[] SpecialDoubles =>
    [
        Double(0x7FF8_0000_1234_5678), Double(0x7FF0_0000_0000_0001), Double(0xFFF8_0000_0000_0001), -0d, 0d,
        double.Epsilon, -double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, double.MinValue,
        double.MaxValue, 0.1,
    ];

    /// <summary>Embedded NUL, 2-, 3- and 4-byte UTF-8 (surrogate pairs), a combining mark and a BOM character.</summary>
    public const string TrickyString = "a\0b ü € 😀 𝄞 e\u0301 \uFEFF end";

    public static Dictionary<string, object?> AllTypesMin() => new()
    {
        ["id"] = ulong.MinValue, ["bool"] = false, ["byte"] = sbyte.MinValue, ["ubyte"] = byte.MinValue,
        ["short"] = short.MinValue, ["ushort"] = ushort.MinValue, ["char"] = char.MinValue, ["int"] = int.MinValue,
        ["uint"] = uint.MinValue, ["long"] = long.MinValue, ["ulong"] = ulong.MinValue, ["float"] = float.MinValue,
        ["double"] = double.MinValue, ["string"] = string.Empty, ["date"] = long.MinValue, ["project"] = ulong.MinValue,
        ["dateNano"] = long.MinValue, ["flex"] = Array.Empty<byte>(), ["boolVector"] = Array.Empty<bool>(),
        ["byteVector"] = Array.Empty<byte>(), ["shortVector"] = Array.Empty<short>(), ["ushortVector"] = Array.Empty<ushort>(),
        ["charVector"] = Array.Empty<char>(), ["intVector"] = Array.Empty<int>(), ["uintVector"] = Array.Empty<uint>(),
        ["longVector"] = Array.Empty<long>(), ["ulongVector"] = Array.Empty<ulong>(), ["floatVector"] = Array.Empty<float>(),
        ["doubleVector"] = Array.Empty<double>(), ["stringVector"] = Array.Empty<string>(), ["dateVector"] = Array.Empty<long>(),
        ["dateNanoVector"] = Array.Empty<long>(),
    };

    public static Dictionary<string, object?> AllTypesMax() => new()
    {
        ["id"] = ulong.MaxValue, ["bool"] = true, ["byte"] = sbyte.MaxValue, ["ubyte"] = byte.MaxValue,
        ["short"] = short.MaxValue, ["ushort"] = ushort.MaxValue, ["char"] = char.MaxValue, ["int"] = int.MaxValue,
        ["uint"] = uint.MaxValue, ["long"] = long.MaxValue, ["ulong"] = ulong.MaxValue, ["float"] = float.MaxValue,
        ["double"] = double.MaxValue, ["string"] = TrickyString, ["date"] = long.MaxValue, ["project"] = ulong.MaxValue,
        ["dateNano"] = long.MaxValue,
        ["flex"] = new byte[] { 0x0A, 0x03, 0x01, 0x68, 0x00, 0x02, 0x14, 0x01 },
        ["boolVector"] = new[] { true, false, true },
        ["byteVector"] = new byte[] { 0, 1, 127, 128, 255 },
        ["shortVector"] = new short[] { short.MinValue, -1, 0, short.MaxValue },
        ["ushortVector"] = new ushort[] { 0, 1, ushort.MaxValue },
        ["charVector"] = new[] { 'a', '\0', '\uD83D', '\uDE00', '\uD800', char.MaxValue },
        ["intVector"] = new[] { int.MinValue, -1, 0, int.MaxValue },
        ["uintVector"] = new[] { 0u, 1u, uint.MaxValue },
        ["longVector"] = new[] { long.MinValue, -1L, 0L, long.MaxValue },
        ["ulongVector"] = new[] { 0UL, 1UL, (1UL << 53) + 1, ulong.MaxValue },
        ["floatVector"] = SpecialFloats,
        ["doubleVector"] = SpecialDoubles,
        ["stringVector"] = new[] { string.Empty, TrickyString, "\0", "x" },
        ["dateVector"] = new[] { long.MinValue, 0L, 1_700_000_000_000L, long.MaxValue },
        ["dateNanoVector"] = new[] { long.MinValue, 0L, 1_700_000_000_000_000_000L, long.MaxValue },
    };

    /// <summary>Zero, false and empty everywhere: all present, none absent.</summary>
    public static Dictionary<string, object?> AllTypesZero()
    {
        var values = AllTypesMin();
        foreach (var name in values.Keys.ToList())
        {
            values[name] = values[name] switch
            {
                sbyte => (sbyte)0,
                short => (short)0,
                int => 0,
                long => 0L,
                float => 0f,
                double => 0d,
                var other => other,
            };
        }

        return values;
    }
}
