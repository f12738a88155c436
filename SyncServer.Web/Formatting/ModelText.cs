using System.Globalization;

namespace SyncServer.Web.Formatting;

/// <summary>Model details as text for the schema page. Stateless.</summary>
internal static class ModelText
{
    /// <summary><c>ID | Unsigned</c>; <c>none</c> for 0; unknown bits as a number.</summary>
    public static string Flags<T>(T flags)
        where T : struct, Enum
    {
        var number = Convert.ToUInt64(flags, CultureInfo.InvariantCulture);
        if (number == 0)
        {
            return "none";
        }

        var names = flags.ToString();
        return char.IsDigit(names[0]) ? names : names.Replace(", ", " | ", StringComparison.Ordinal);
    }

    public static string External(string? name, int? type) =>
        (name, type) switch
        {
            (null, null) => "",
            (null, { } t) => string.Create(CultureInfo.InvariantCulture, $"external type {t}"),
            ({ } n, null) => $"external name \"{n}\"",
            ({ } n, { } t) => string.Create(CultureInfo.InvariantCulture, $"external name \"{n}\", type {t}"),
        };
}
