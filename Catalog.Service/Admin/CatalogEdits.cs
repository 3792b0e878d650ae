using System.Text.RegularExpressions;
using Catalog.Service.Models;
using Catalog.Service.Providers;

namespace Catalog.Service.Admin;

/// <summary>A change the admin API refuses: the status code and message go back in OpenRouter's error format.</summary>
public sealed class CatalogEditException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static CatalogEditException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static CatalogEditException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}

/// <summary>Validates admin requests and applies them to catalog entities (pure: no database access).</summary>
public static partial class CatalogEdits
{
    /// <summary>numeric(20,12): at most 12 decimal places and 8 integer digits.</summary>
    private const int PriceScale = 12;
    private const decimal MaxPrice = 99_999_999m;

    private static readonly HashSet<string> InputModalities = ["text", "image", "file", "audio", "video"];
    private static readonly HashSet<string> OutputModalities = ["text", "image", "audio", "embeddings"];
    private static readonly HashSet<string> Quantizations = ["int4", "int8", "fp4", "fp6", "fp8", "fp16", "bf16", "fp32", "unknown"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex ProviderSlugPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._:-]*$")]
    private static partial Regex ModelIdPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    public static void ValidateProviderSlug(string slug)
    {
        if (!ProviderSlugPattern().IsMatch(slug))
        {
            throw CatalogEditException.BadRequest("A provider slug is 1-64 lowercase letters, digits and dashes");
        }
    }

    public static void ValidateModelId(string id)
    {
        if (id.Length > 128 || !ModelIdPattern().IsMatch(id))
        {
            throw CatalogEditException.BadRequest("A model id is author/slug in lowercase letters, digits, '.', '-', '_' (and ':' for variants), at most 128 characters");
        }
    }

    public static Provider CreateProvider(string slug, ProviderUpsertRequest request)
    {
        ValidateProviderSlug(slug);
        if (string.IsNullOrWhiteSpace(request.Name) || request.BaseUrl is null || request.WireFormat is null)
        {
            throw CatalogEditException.BadRequest("A new provider needs name, base_url and wire_format");
        }
        var provider = new Provider { Slug = slug, Name = request.Name, BaseUrl = HttpUrl(request.BaseUrl, "base_url") };
        Apply(provider, request);
        return provider;
    }

    public static void Apply(Provider provider, ProviderUpsertRequest request)
    {
        if (request.Name is not null)
        {
            provider.Name = Required(request.Name, "name", 128);
        }
        if (request.BaseUrl is not null)
        {
            provider.BaseUrl = HttpUrl(request.BaseUrl, "base_url");
        }
        if (request.WireFormat is not null)
        {
            provider.WireFormat = ParseEnum<WireFormat>(request.WireFormat, "wire_format");
        }
        if (request.Status is not null)
        {
            provider.Status = ParseEnum<ProviderStatus>(request.Status, "status");
        }
        if (request.Headquarters is not null)
        {
            provider.Headquarters = request.Headquarters.Length == 0 ? null : Country(request.Headquarters, "headquarters");
        }
        if (request.Datacenters is not null)
        {
            provider.Datacenters = [.. request.Datacenters.Select(code => Country(code, "datacenters")).Distinct()];
        }
        if (request.DataRetentionDays is { } days)
        {
            provider.DataRetentionDays = days >= 0 ? days : throw CatalogEditException.BadRequest("data_retention_days cannot be negative");
        }
        provider.TrainsOnData = request.TrainsOnData ?? provider.TrainsOnData;
        provider.ZeroDataRetention = request.ZeroDataRetention ?? provider.ZeroDataRetention;
        provider.PrivacyPolicyUrl = OptionalUrl(request.PrivacyPolicyUrl, provider.PrivacyPolicyUrl, "privacy_policy_url");
        provider.TermsOfServiceUrl = OptionalUrl(request.TermsOfServiceUrl, provider.TermsOfServiceUrl, "terms_of_service_url");
        provider.StatusPageUrl = OptionalUrl(request.StatusPageUrl, provider.StatusPageUrl, "status_page_url");
        provider.IsEnabled = request.IsEnabled ?? provider.IsEnabled;
    }

    public static Model CreateModel(string id, ModelUpsertRequest request, DateTimeOffset now)
    {
        ValidateModelId(id);
        if (string.IsNullOrWhiteSpace(request.Name) || request.ContextLength is null)
        {
            throw CatalogEditException.BadRequest("A new model needs name and context_length");
        }
        var model = new Model
        {
            Id = id,
            CanonicalSlug = id,
            Name = request.Name,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
        };
        Apply(model, request);
        return model;
    }

    public static void Apply(Model model, ModelUpsertRequest request)
    {
        if (request.Name is not null)
        {
            model.Name = Required(request.Name, "name", 256);
        }
        if (request.CanonicalSlug is not null)
        {
            ValidateModelId(request.CanonicalSlug);
            model.CanonicalSlug = request.CanonicalSlug;
        }
        model.Description = request.Description ?? model.Description;
        if (request.HuggingFaceId is not null)
        {
            model.HuggingFaceId = request.HuggingFaceId.Length == 0 ? null : Required(request.HuggingFaceId, "hugging_face_id", 128);
        }
        if (request.Created is { } created)
        {
            model.CreatedAt = created is > 0 and < 32_503_680_000 // before year 3000
                ? DateTimeOffset.FromUnixTimeSeconds(created)
                : throw CatalogEditException.BadRequest("created is a Unix timestamp in seconds");
        }
        if (request.ContextLength is { } context)
        {
            model.ContextLength = Positive(context, "context_length");
        }
        if (request.InputModalities is not null)
        {
            model.InputModalities = Modalities(request.InputModalities, InputModalities, "input_modalities");
        }
        if (request.OutputModalities is not null)
        {
            model.OutputModalities = Modalities(request.OutputModalities, OutputModalities, "output_modalities");
        }
        if (request.Tokenizer is not null)
        {
            model.Tokenizer = Required(request.Tokenizer, "tokenizer", 64);
        }
        if (request.InstructType is not null)
        {
            model.InstructType = request.InstructType.Length == 0 ? null : Required(request.InstructType, "instruct_type", 64);
        }
        if (request.Categories is not null)
        {
            model.Categories = [.. request.Categories.Select(category => Required(category, "categories", 64).ToLowerInvariant()).Distinct()];
        }
        model.IsEnabled = request.IsEnabled ?? model.IsEnabled;
    }

    public static ModelEndpoint CreateEndpoint(Model model, Provider provider, EndpointUpsertRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.UpstreamModelName) || request.Pricing?.Prompt is null || request.Pricing.Completion is null)
        {
            throw CatalogEditException.BadRequest("A new endpoint needs upstream_model_name and pricing.prompt and pricing.completion");
        }
        var endpoint = new ModelEndpoint
        {
            ModelId = model.Id,
            ProviderSlug = provider.Slug,
            UpstreamModelName = request.UpstreamModelName,
            ContextLength = model.ContextLength,
        };
        Apply(endpoint, request);
        return endpoint;
    }

    public static void Apply(ModelEndpoint endpoint, EndpointUpsertRequest request)
    {
        if (request.UpstreamModelName is not null)
        {
            endpoint.UpstreamModelName = Required(request.UpstreamModelName, "upstream_model_name", 128);
        }
        if (request.ContextLength is { } context)
        {
            endpoint.ContextLength = Positive(context, "context_length");
        }
        if (request.MaxCompletionTokens is { } maxCompletion)
        {
            endpoint.MaxCompletionTokens = maxCompletion == 0 ? null : Positive(maxCompletion, "max_completion_tokens");
        }
        if (request.MaxPromptTokens is { } maxPrompt)
        {
            endpoint.MaxPromptTokens = maxPrompt == 0 ? null : Positive(maxPrompt, "max_prompt_tokens");
        }
        if (request.Quantization is not null)
        {
            endpoint.Quantization = request.Quantization.Length == 0 ? null
                : Quantizations.Contains(request.Quantization) ? request.Quantization
                : throw CatalogEditException.BadRequest($"quantization is one of {string.Join(", ", Quantizations)}");
        }
        if (request.Pricing is not null)
        {
            Apply(endpoint, request.Pricing);
        }
        if (request.SupportedParameters is not null)
        {
            endpoint.SupportedParameters = [.. request.SupportedParameters.Select(parameter => Required(parameter, "supported_parameters", 64)).Distinct()];
        }
        endpoint.IsModerated = request.IsModerated ?? endpoint.IsModerated;
        endpoint.SupportsImplicitCaching = request.SupportsImplicitCaching ?? endpoint.SupportsImplicitCaching;
        if (request.Status is not null)
        {
            endpoint.Status = ParseEnum<EndpointStatus>(request.Status, "status");
        }
        endpoint.IsEnabled = request.IsEnabled ?? endpoint.IsEnabled;
    }

    public static void Apply(ModelEndpoint endpoint, PricingRequest pricing)
    {
        endpoint.PromptPrice = Price(pricing.Prompt, "prompt") ?? endpoint.PromptPrice;
        endpoint.CompletionPrice = Price(pricing.Completion, "completion") ?? endpoint.CompletionPrice;
        endpoint.RequestPrice = Price(pricing.Request, "request") ?? endpoint.RequestPrice;
        endpoint.ImagePrice = Price(pricing.Image, "image") ?? endpoint.ImagePrice;
        endpoint.InputCacheReadPrice = Price(pricing.InputCacheRead, "input_cache_read") ?? endpoint.InputCacheReadPrice;
        endpoint.InputCacheWritePrice = Price(pricing.InputCacheWrite, "input_cache_write") ?? endpoint.InputCacheWritePrice;
        endpoint.InternalReasoningPrice = Price(pricing.InternalReasoning, "internal_reasoning") ?? endpoint.InternalReasoningPrice;
        foreach (var name in pricing.Unset ?? [])
        {
            switch (name)
            {
                case "input_cache_read" when pricing.InputCacheRead is null:
                    endpoint.InputCacheReadPrice = null;
                    break;
                case "input_cache_write" when pricing.InputCacheWrite is null:
                    endpoint.InputCacheWritePrice = null;
                    break;
                default:
                    throw CatalogEditException.BadRequest(
                        $"pricing.unset may name {string.Join(" or ", PricingRequest.UnsettablePrices)}, each not also given a price; '{name}' is not allowed");
            }
        }
        if (pricing.Discount is { } discount)
        {
            endpoint.Discount = discount is >= 0 and <= 1 && Scale(discount) <= 4
                ? discount
                : throw CatalogEditException.BadRequest("pricing.discount is a fraction from 0 to 1 with at most 4 decimal places");
        }
    }

    /// <summary>A price must be stored exactly: never negative, at most 12 decimal places, never silently rounded.</summary>
    internal static decimal? Price(decimal? value, string name)
    {
        if (value is not { } price)
        {
            return null;
        }
        if (price < 0 || price > MaxPrice || Scale(price) > PriceScale)
        {
            throw CatalogEditException.BadRequest(
                $"pricing.{name} must be a USD amount per token from 0 to {MaxPrice} with at most {PriceScale} decimal places");
        }
        return price;
    }

    /// <summary>Decimal places that carry a value (trailing zeros do not count).</summary>
    internal static int Scale(decimal value) => (decimal.GetBits(value / 1.000000000000000000000000000000000m)[3] >> 16) & 0xFF;

    private static string Required(string value, string name, int maxLength)
    {
        var trimmed = value.Trim();
        return trimmed.Length > 0 && trimmed.Length <= maxLength
            ? trimmed
            : throw CatalogEditException.BadRequest($"{name} must be 1 to {maxLength} characters");
    }

    private static int Positive(int value, string name)
        => value > 0 ? value : throw CatalogEditException.BadRequest($"{name} must be positive");

    private static TEnum ParseEnum<TEnum>(string value, string name) where TEnum : struct, Enum
        => Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw CatalogEditException.BadRequest($"{name} is one of {string.Join(", ", Enum.GetNames<TEnum>())}");

    private static Uri HttpUrl(string value, string name)
        => Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && value.Length <= 512
            ? url
            : throw CatalogEditException.BadRequest($"{name} must be an absolute http(s) URL");

    private static string? OptionalUrl(string? value, string? current, string name)
        => value is null ? current : value.Length == 0 ? null : HttpUrl(value, name).ToString();

    private static string Country(string value, string name)
        => CountryPattern().IsMatch(value) ? value : throw CatalogEditException.BadRequest($"{name}: ISO 3166-1 alpha-2 country codes, e.g. US");

    private static string[] Modalities(string[] values, HashSet<string> allowed, string name)
        => values.Length > 0 && values.All(allowed.Contains)
            ? [.. values.Distinct()]
            : throw CatalogEditException.BadRequest($"{name} is a non-empty list of {string.Join(", ", allowed)}");
}
