using System.Globalization;

namespace SyncServer.Core.Model;

/// <summary>
/// The checks that look across objects of a model: duplicate IDs, UIDs and names; exactly one ID property per entity;
/// relation targets; last IDs not lower than the IDs in use; used UIDs not retired. Single use, not thread-safe.
/// </summary>
/// <remarks>
/// Zero or unreadable IDs and missing names were already reported by the reader; they are skipped here so each problem
/// is reported once.
/// </remarks>
internal sealed class ModelValidator
{
    private const string ModelLocation = "model";

    private readonly ObjectBoxModel _model;
    private readonly ModelLocations _locations;
    private readonly List<ModelError> _errors;
    private readonly Dictionary<ulong, string> _uids = [];
    private readonly Dictionary<ulong, List<string>> _retired = [];
    private readonly Dictionary<uint, string> _indexIds = [];
    private readonly Dictionary<uint, string> _relationIds = [];

    private ModelValidator(ObjectBoxModel model, ModelLocations locations, List<ModelError> errors)
    {
        _model = model;
        _locations = locations;
        _errors = errors;
        AddRetired(model.Metadata.RetiredEntityUids, "retiredEntityUids");
        AddRetired(model.Metadata.RetiredPropertyUids, "retiredPropertyUids");
        AddRetired(model.Metadata.RetiredIndexUids, "retiredIndexUids");
        AddRetired(model.Metadata.RetiredRelationUids, "retiredRelationUids");
    }

    public static void Validate(ObjectBoxModel model, ModelLocations locations, List<ModelError> errors) =>
        new ModelValidator(model, locations, errors).Run();

    private void Run()
    {
        var entityIds = new Dictionary<uint, ModelEntity>();
        var entityNames = new Dictionary<string, ModelEntity>(StringComparer.Ordinal);
        (uint Id, string Where) maxEntity = (0, string.Empty);
        (uint Id, string Where) maxIndex = (0, string.Empty);
        (uint Id, string Where) maxRelation = (0, string.Empty);

        foreach (var entity in _model.Entities)
        {
            var location = _locations.Of(entity);
            if (entity.Id.Id != 0)
            {
                if (!entityIds.TryAdd(entity.Id.Id, entity))
                {
                    Error(location, $"duplicate entity ID {entity.Id.Id}, also used by {_locations.Of(entityIds[entity.Id.Id])}");
                }

                maxEntity = Max(maxEntity, entity.Id.Id, location);
            }

            if (entity.Name.Length > 0 && !entityNames.TryAdd(entity.Name, entity))
            {
                Error(location, $"duplicate entity name \"{entity.Name}\", also used by {_locations.Of(entityNames[entity.Name])}");
            }

            ClaimUid(entity.Id.Uid, "entity", location, location);
            CheckProperties(entity, location, ref maxIndex);
            CheckRelations(entity, ref maxRelation);
        }

        CheckLastId(ModelLocation, "lastEntityId", _model.Metadata.LastEntityId, maxEntity, "entity");
        CheckLastId(ModelLocation, "lastIndexId", _model.Metadata.LastIndexId, maxIndex, "index");
        CheckLastId(ModelLocation, "lastRelationId", _model.Metadata.LastRelationId, maxRelation, "relation");
    }

    private void CheckProperties(ModelEntity entity, string entityLocation, ref (uint Id, string Where) maxIndex)
    {
        var ids = new Dictionary<uint, string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var idProperties = new List<string>();
        (uint Id, string Where) maxProperty = (0, string.Empty);

        foreach (var property in entity.Properties)
        {
            var location = _locations.Of(entity, property);
            if (property.Id.Id != 0)
            {
                if (!ids.TryAdd(property.Id.Id, location))
                {
                    Error(location, $"duplicate property ID {property.Id.Id} in entity \"{entity.Name}\", also used by {ids[property.Id.Id]}");
                }

                maxProperty = Max(maxProperty, property.Id.Id, location);
            }

            if (property.Name.Length > 0 && !names.TryAdd(property.Name, location))
            {
                Error(location, $"duplicate property name \"{property.Name}\" in entity \"{entity.Name}\", also used by {names[property.Name]}");
            }

            ClaimUid(property.Id.Uid, "property", location, location);
            if (!property.IndexId.IsEmpty)
            {
                ClaimUid(property.IndexId.Uid, "index", location, $"the index of {location}");
                if (property.IndexId.Id != 0)
                {
                    if (!_indexIds.TryAdd(property.IndexId.Id, location))
                    {
                        Error(location, $"duplicate index ID {property.IndexId.Id}, also used by {_indexIds[property.IndexId.Id]}");
                    }

                    maxIndex = Max(maxIndex, property.IndexId.Id, location);
                }
            }

            if (property.IsIdProperty)
            {
                idProperties.Add($"\"{property.Name}\"");
            }

            if (property.Type == PropertyType.Relation)
            {
                if (string.IsNullOrEmpty(property.RelationTarget))
                {
                    ErrorText(location, "is a relation (type 11) but has no relationTarget naming the target entity");
                }
                else if (_model.FindEntity(property.RelationTarget) is null)
                {
                    Error(location, $"relationTarget \"{property.RelationTarget}\" names no entity of this model");
                }
            }
        }

        if (idProperties.Count == 0)
        {
            ErrorText(entityLocation, "has no ID property (a property with flag ID = 1); exactly one is required");
        }
        else if (idProperties.Count > 1)
        {
            Error(entityLocation, $"has {idProperties.Count} ID properties ({string.Join(", ", idProperties)}); exactly one is allowed");
        }

        CheckLastId(entityLocation, "lastPropertyId", entity.LastPropertyId, maxProperty, "property");
    }

    private void CheckRelations(ModelEntity entity, ref (uint Id, string Where) maxRelation)
    {
        foreach (var relation in entity.Relations)
        {
            var location = _locations.Of(entity, relation);
            if (relation.Id.Id != 0)
            {
                if (!_relationIds.TryAdd(relation.Id.Id, location))
                {
                    Error(location, $"duplicate relation ID {relation.Id.Id}, also used by {_relationIds[relation.Id.Id]}");
                }

                maxRelation = Max(maxRelation, relation.Id.Id, location);
            }

            ClaimUid(relation.Id.Uid, "relation", location, location);

            if (relation.TargetId.IsEmpty)
            {
                continue;
            }

            var target = _model.FindEntity(relation.TargetId.Id);
            if (target is null)
            {
                Error(location, $"targetId {relation.TargetId} matches no entity (no entity has ID {relation.TargetId.Id})");
            }
            else if (target.Id.Uid != relation.TargetId.Uid)
            {
                Error(location, $"targetId {relation.TargetId} does not match entity \"{target.Name}\" ({target.Id}): the UIDs differ");
            }
        }
    }

    /// <summary>All UIDs (entity, property, index, relation) share one space: each may be used once and not be retired.</summary>
    private void ClaimUid(ulong uid, string kind, string location, string description)
    {
        if (uid == 0)
        {
            return;
        }

        if (!_uids.TryAdd(uid, description))
        {
            Error(location, $"{kind} UID {uid} is already used by {_uids[uid]}; UIDs must be unique in the whole model");
        }

        if (_retired.TryGetValue(uid, out var lists))
        {
            Error(location, $"{kind} UID {uid} is in use but listed in {string.Join(" and ", lists)}; a retired UID must never be used again");
        }
    }

    /// <summary>A last ID lower than an ID in use means the generator could hand out that ID again.</summary>
    private void CheckLastId(string location, string key, IdUid lastId, (uint Id, string Where) max, string kind)
    {
        if (lastId.Id < max.Id)
        {
            Error(location, $"{key} {lastId} is lower than {kind} ID {max.Id} of {max.Where}");
        }
    }

    private void AddRetired(IReadOnlyList<ulong> uids, string listName)
    {
        foreach (var uid in uids)
        {
            if (!_retired.TryGetValue(uid, out var lists))
            {
                _retired[uid] = lists = [];
            }

            if (!lists.Contains(listName))
            {
                lists.Add(listName);
            }
        }
    }

    private static (uint Id, string Where) Max((uint Id, string Where) current, uint id, string where) =>
        id > current.Id ? (id, where) : current;

    private void Error(string location, FormattableString message) =>
        _errors.Add(new ModelError(location, message.ToString(CultureInfo.InvariantCulture)));

    private void ErrorText(string location, string message) => _errors.Add(new ModelError(location, message));
}
