using System.Globalization;

namespace SyncServer.Core.Model;

/// <summary>
/// Where each entity, property and relation was found in the file, as people read it:
/// <c>entities[1] "Note" property "title" (ID 3)</c>. Filled by the reader, used by the validator's messages.
/// </summary>
internal sealed class ModelLocations
{
    // Records compare by value; two equal properties in different entities still have different locations.
    private readonly Dictionary<object, string> _locations = new(ReferenceEqualityComparer.Instance);

    public void Add(object item, string location) => _locations[item] = location;

    public string Of(ModelEntity entity) =>
        _locations.GetValueOrDefault(entity) ?? string.Create(CultureInfo.InvariantCulture, $"entity \"{entity.Name}\"");

    public string Of(ModelEntity entity, ModelProperty property) =>
        _locations.GetValueOrDefault(property) ?? Property(Of(entity), 0, property.Name, property.Id.Id);

    public string Of(ModelEntity entity, ModelRelation relation) =>
        _locations.GetValueOrDefault(relation) ?? Relation(Of(entity), 0, relation.Name, relation.Id.Id);

    public static string Entity(int index, string? name) =>
        string.IsNullOrEmpty(name)
            ? string.Create(CultureInfo.InvariantCulture, $"entities[{index}]")
            : string.Create(CultureInfo.InvariantCulture, $"entities[{index}] \"{name}\"");

    public static string Property(string entityLocation, int index, string? name, uint? id) =>
        Member(entityLocation, "property", "properties", index, name, id);

    public static string Relation(string entityLocation, int index, string? name, uint? id) =>
        Member(entityLocation, "relation", "relations", index, name, id);

    private static string Member(string entityLocation, string kind, string arrayName, int index, string? name, uint? id)
    {
        var what = string.IsNullOrEmpty(name)
            ? string.Create(CultureInfo.InvariantCulture, $"{arrayName}[{index}]")
            : $"{kind} \"{name}\"";
        return id is { } value and not 0
            ? string.Create(CultureInfo.InvariantCulture, $"{entityLocation} {what} (ID {value})")
            : $"{entityLocation} {what}";
    }
}
