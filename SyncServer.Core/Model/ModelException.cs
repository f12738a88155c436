namespace SyncServer.Core.Model;

/// <summary>
/// Thrown by <see cref="ModelJsonReader"/> when a model file cannot be used. Carries every problem found, not just the
/// first; <see cref="Exception.Message"/> is the errors one per line. Callers add the file name.
/// </summary>
public sealed class ModelException : Exception
{
    public ModelException()
        : this([])
    {
    }

    public ModelException(string message)
        : this([new ModelError("model", message)])
    {
    }

    public ModelException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ModelError("model", message)];
    }

    public ModelException(IReadOnlyList<ModelError> errors)
        : base(errors.Count == 0 ? "The model is invalid." : string.Join('\n', errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ModelError> Errors { get; }
}
