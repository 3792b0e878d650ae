using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Byok;

/// <summary>PUT a provider key: <see cref="ApiKey"/> is required for a new key; when absent the stored secret stays.</summary>
public sealed record SaveProviderKeyRequest(string? ApiKey, bool? AlwaysUse);

/// <summary>A stored provider key as the portal sees it: never the secret, only its hint.</summary>
public sealed record ProviderKeyResponse(string Provider, string Hint, bool AlwaysUse, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

public sealed record ProviderKeyListEnvelope(IReadOnlyList<ProviderKeyResponse> Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SaveProviderKeyRequest))]
[JsonSerializable(typeof(ProviderKeyResponse))]
[JsonSerializable(typeof(ProviderKeyListEnvelope))]
internal sealed partial class ProviderKeysJsonContext : JsonSerializerContext;
