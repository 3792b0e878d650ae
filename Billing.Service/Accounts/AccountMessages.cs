using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Accounts;

public sealed record EnsureAccountRequest(string? Email);

public sealed record AccountResponse(Guid Id, string OwnerUserId, string Email, DateTimeOffset CreatedAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EnsureAccountRequest))]
[JsonSerializable(typeof(AccountResponse))]
internal sealed partial class AccountsJsonContext : JsonSerializerContext;
