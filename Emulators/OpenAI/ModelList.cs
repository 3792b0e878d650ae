namespace Emulators.OpenAI;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
public sealed record ModelList
{
    public string Object { get; init; } = "list";

    public required IReadOnlyList<ModelInfo> Data { get; init; }
}

public sealed record ModelInfo
{
    public required string Id { get; init; }

    public string Object { get; init; } = "model";

    public required long Created { get; init; }

    public required string OwnedBy { get; init; }
}
