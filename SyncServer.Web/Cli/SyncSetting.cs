using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Web.Cli;

/// <summary>One <see cref="SyncOptions"/> property: its names in the config file and the environment, and its range.</summary>
internal sealed record SyncSetting(PropertyInfo Property, RangeAttribute Range, string Minimum, string Maximum)
{
    /// <summary>The property name: the configuration key and the part after <c>Sync__</c>.</summary>
    public string Name => Property.Name;

    /// <summary>The key inside the config file's <c>sync</c> object (camelCase).</summary>
    public string FileKey => char.ToLowerInvariant(Name[0]) + Name[1..];

    public bool IsTimeSpan => Property.PropertyType == typeof(TimeSpan);

    /// <summary>What a value must be, e.g. "a whole number from 1 to 100000".</summary>
    public string Expected => IsTimeSpan
        ? $"a time span hh:mm:ss from {Minimum} to {Maximum}"
        : $"a whole number from {Minimum} to {Maximum}";

    public static SyncSetting From(PropertyInfo property)
    {
        if (property.PropertyType != typeof(int) && property.PropertyType != typeof(TimeSpan))
        {
            throw new InvalidOperationException($"SyncOptions.{property.Name}: only int and TimeSpan settings can be read from the config file");
        }

        var range = property.GetCustomAttribute<RangeAttribute>()
            ?? throw new InvalidOperationException($"SyncOptions.{property.Name} has no [Range]: every setting needs its allowed range");
        // The limits as the attribute states them (00:00:00.100), taken before the first IsValid converts them to TimeSpan;
        // that first call is made here, inside the type initializer, so later concurrent calls find the conversion set up.
        var setting = new SyncSetting(
            property, range, Convert.ToString(range.Minimum, CultureInfo.InvariantCulture)!, Convert.ToString(range.Maximum, CultureInfo.InvariantCulture)!);
        _ = range.IsValid(property.GetValue(new SyncOptions()));
        return setting;
    }

    public string Format(SyncOptions options) => Property.GetValue(options) switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>Parses <paramref name="text"/> (null: the wrong JSON type) and sets it, or adds a problem naming the
    /// source and the range.</summary>
    public void Apply(SyncOptions options, string? text, string source, string shown, List<string> problems)
    {
        object? value = null;
        if (IsTimeSpan && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            value = span;
        }
        else if (!IsTimeSpan && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
        }

        if (value is null || !Range.IsValid(value))
        {
            problems.Add($"{source} must be {Expected}, not {shown}");
            return;
        }

        Property.SetValue(options, value);
    }
}
