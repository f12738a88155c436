using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using SyncServer.Core.Model;

namespace SyncServer.Client.Typed;

/// <summary>
/// Maps a class to an entity: public read/write properties to model properties of the same name (ignoring case); class
/// properties without a model property are left alone. Converts between the class's property types and the model's CLR
/// types: integer widths (checked), enums, <see cref="DateTime"/>/<see cref="DateTimeOffset"/> for Date (ms) and DateNano
/// (ns), nullable wrappers. Immutable after construction, thread-safe.
/// </summary>
internal sealed class TypeMapper<[DynamicallyAccessedMembers(TypeMapper<T>.Members)] T> where T : class, new()
{
    public const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    private readonly List<(PropertyInfo Clr, ModelProperty Model, Type ModelType)> _properties = [];
    private readonly PropertyInfo _id;

    public TypeMapper(EntityInfo entity)
    {
        foreach (var clr in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!clr.CanRead || clr.SetMethod is not { IsPublic: true } || clr.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var model = entity.Entity.Properties.FirstOrDefault(p => string.Equals(p.Name, clr.Name, StringComparison.OrdinalIgnoreCase));
            if (model is not null && ModelClrTypes.Of(model) is { } modelType)
            {
                _properties.Add((clr, model, modelType));
            }
        }

        _id = _properties.FirstOrDefault(p => p.Model.IsIdProperty).Clr
            ?? throw new InvalidOperationException(
                $"Class {typeof(T).Name} has no public read/write property for the ID property \"{entity.IdProperty.Name}\" of entity \"{entity.Name}\".");
    }

    /// <summary>The entity a class maps to: <see cref="SyncEntityAttribute"/>'s name, else the class name.</summary>
    public static string EntityName => typeof(T).GetCustomAttribute<SyncEntityAttribute>()?.Name ?? typeof(T).Name;

    public Dictionary<uint, object?> ToValues(T item)
    {
        var values = new Dictionary<uint, object?>(_properties.Count);
        foreach (var (clr, model, modelType) in _properties)
        {
            values[model.Id.Id] = ToModel(clr.GetValue(item), model, modelType);
        }

        return values;
    }

    public T FromValues(IReadOnlyDictionary<uint, object?> values)
    {
        var item = new T();
        foreach (var (clr, model, _) in _properties)
        {
            if (values.TryGetValue(model.Id.Id, out var value) && value is not null)
            {
                clr.SetValue(item, FromModel(value, model, clr.PropertyType));
            }
        }

        return item;
    }

    public void SetId(T item, ulong id) => _id.SetValue(item, FromModel(id, null, _id.PropertyType));

    public ulong GetId(T item) => ClientModel.AsId(_id.GetValue(item));

    private static object? ToModel(object? value, ModelProperty model, Type modelType)
    {
        switch (value)
        {
            case null:
                return null;
            case DateTime dateTime:
                return ToUnix(new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime), model);
            case DateTimeOffset dateTimeOffset:
                return ToUnix(dateTimeOffset, model);
            case Enum:
                value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture);
                break;
        }

        return value.GetType() == modelType || value is not IConvertible || !modelType.IsPrimitive
            ? value
            : Convert.ChangeType(value, modelType, CultureInfo.InvariantCulture);
    }

    private static object? FromModel(object value, ModelProperty? model, Type target)
    {
        target = Nullable.GetUnderlyingType(target) ?? target;
        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        if (target == typeof(DateTime) || target == typeof(DateTimeOffset))
        {
            var raw = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            var instant = model?.Type is PropertyType.DateNano
                ? DateTimeOffset.UnixEpoch.AddTicks(raw / 100)
                : DateTimeOffset.FromUnixTimeMilliseconds(raw);
            return target == typeof(DateTime) ? (object)instant.UtcDateTime : instant;
        }

        return target.IsEnum
            ? Enum.ToObject(target, value)
            : Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private static long ToUnix(DateTimeOffset instant, ModelProperty model) => model.Type is PropertyType.DateNano
        ? (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100
        : instant.ToUnixTimeMilliseconds();
}
