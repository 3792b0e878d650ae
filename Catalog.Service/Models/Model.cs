using Catalog.Service.Providers;

namespace Catalog.Service.Models;

/// <summary>A model as users name it (<c>author/slug</c>), independent of who serves it.</summary>
public sealed class Model
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public int ContextLength { get; set; }
    public string[] InputModalities { get; set; } = ["text"];
    public string[] OutputModalities { get; set; } = ["text"];
    public string Tokenizer { get; set; } = "Other";
    public string? InstructType { get; set; }

    public List<ModelEndpoint> Endpoints { get; set; } = [];
}

/// <summary>One provider serving one model, with that provider's own prices and limits.</summary>
public sealed class ModelEndpoint
{
    public int Id { get; set; }
    public required string ModelId { get; set; }
    public Model? Model { get; set; }
    public required string ProviderSlug { get; set; }
    public Provider? Provider { get; set; }

    /// <summary>The model name the provider's own API expects.</summary>
    public required string UpstreamModelName { get; set; }
    public int ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public string? Quantization { get; set; }

    /// <summary>Prices in USD per token (per request for <see cref="RequestPrice"/>), exact decimals.</summary>
    public decimal PromptPrice { get; set; }
    public decimal CompletionPrice { get; set; }
    public decimal RequestPrice { get; set; }

    public string[] SupportedParameters { get; set; } = [];
    public bool IsModerated { get; set; }
    public bool IsEnabled { get; set; } = true;
}
