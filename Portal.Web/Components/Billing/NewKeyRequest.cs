using Portal.Web.Billing;

namespace Portal.Web.Components.Billing;

/// <summary>What the create-key dialog collects; the page sends it to billing for the signed-in user.</summary>
public sealed record NewKeyRequest(string Name, decimal? LimitUsd, KeyLimitReset LimitReset, DateTimeOffset? ExpiresAt);
