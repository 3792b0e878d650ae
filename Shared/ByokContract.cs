using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenRouterClone.Shared;

/// <summary>
/// Bring-your-own-key: Billing.Service keeps each account's provider keys (encrypted at rest) and hands them to
/// gateways over its internal API (<see cref="InternalPath"/>); after every change it publishes the account id
/// on <see cref="ChangedChannel"/> so gateways drop their in-process copy at once.
/// </summary>
public static class ByokContract
{
    public const string ChangedChannel = "byok:changed";

    public static string InternalPath(Guid accountId) => $"/internal/byok/{accountId:D}";
}

/// <summary>One provider key as a gateway uses it. Never logged: <see cref="ToString"/> hides the secret.</summary>
/// <param name="AlwaysUse">Only this key for the provider: no fallback to the platform's key when it fails.</param>
public sealed record ByokSecret(string Provider, string ApiKey, bool AlwaysUse)
{
    public override string ToString() => $"ByokSecret {{ Provider = {Provider}, AlwaysUse = {AlwaysUse} }}";
}

public sealed record ByokSecrets(IReadOnlyList<ByokSecret> Keys);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ByokSecrets))]
public sealed partial class ByokJsonContext : JsonSerializerContext;
