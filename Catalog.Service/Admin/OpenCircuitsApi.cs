using Catalog.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace Catalog.Service.Admin;

/// <summary>
/// The endpoints whose circuit breakers are open now, for the admin System page: the gateways share each opening
/// in Redis (<see cref="CircuitBreakerRedis"/>, the same hash their replicas read), so this shows what every
/// replica routes by. Part of the admin API, so behind the same service key. Redis away: 503 (ApiErrorHandling).
/// </summary>
public static class OpenCircuitsApi
{
    public static RouteGroupBuilder MapOpenCircuits(this RouteGroupBuilder api)
    {
        api.MapGet("/open-circuits", GetOpenCircuitsAsync);
        return api;
    }

    /// <summary>Circuits still open (ended ones wait in the hash for its expiry and are skipped), the longest open first.</summary>
    private static async Task<Ok<OpenCircuitListResponse>> GetOpenCircuitsAsync(
        IConnectionMultiplexer redis, CatalogDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = new List<CircuitChange>();
        foreach (var entry in await redis.GetDatabase().HashGetAllAsync(CircuitBreakerRedis.OpenKey))
        {
            if (!entry.Value.IsNullOrEmpty && CircuitBreakerRedis.Parse((byte[])entry.Value!) is { Open: true, OpenUntil: { } until } change && until > now)
            {
                open.Add(change);
            }
        }
        if (open.Count == 0)
        {
            return TypedResults.Ok(new OpenCircuitListResponse([]));
        }
        var ids = open.Select(change => change.EndpointId).ToList();
        var endpoints = await db.ModelEndpoints.AsNoTracking()
            .Where(endpoint => ids.Contains(endpoint.Id))
            .Select(endpoint => new { endpoint.Id, endpoint.ModelId, endpoint.ProviderSlug })
            .ToDictionaryAsync(endpoint => endpoint.Id, ct);
        return TypedResults.Ok(new OpenCircuitListResponse([.. open
            .OrderByDescending(change => change.OpenUntil)
            .Select(change =>
            {
                // An endpoint deleted since is still listed by id: gateways may hold its circuit open.
                var endpoint = endpoints.GetValueOrDefault(change.EndpointId);
                return new OpenCircuitResponse(change.EndpointId, endpoint?.ModelId, endpoint?.ProviderSlug, change.OpenUntil!.Value, change.Reason, change.Instance, change.At);
            })]));
    }
}

public sealed record OpenCircuitListResponse(IReadOnlyList<OpenCircuitResponse> Data);

/// <summary>One open circuit: until when gateways try the endpoint last, the failure that opened it, and the replica that saw it.</summary>
public sealed record OpenCircuitResponse(
    int EndpointId, string? ModelId, string? Provider, DateTimeOffset OpenUntil, string? Reason, string Instance, DateTimeOffset OpenedAt);
