using Catalog.Service.Data;
using Catalog.Service.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Admin;

/// <summary>
/// Endpoint health for the admin System page, from the outcomes the gateways already report
/// (<see cref="EndpointStatsService"/> keeps a day of them): calls and failures per endpoint over 30 minutes and a
/// day, the live latency and throughput, and the newest failed upstream calls. Part of the admin API, so behind
/// the same service key.
/// </summary>
public static class EndpointHealthApi
{
    private static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan DayWindow = TimeSpan.FromDays(1);
    private const int DefaultFailureLimit = 20;
    private const int MaxFailureLimit = 200;

    public static RouteGroupBuilder MapEndpointHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/endpoint-health", GetEndpointHealthAsync);
        api.MapGet("/endpoint-failures", GetRecentFailuresAsync);
        return api;
    }

    /// <summary>Every endpoint (disabled ones included, so an admin sees why), unordered: the page decides what is worst.</summary>
    private static async Task<Ok<EndpointHealthListResponse>> GetEndpointHealthAsync(CatalogDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var recent = now - RecentWindow;
        var day = now - DayWindow;
        var counts = await db.Set<EndpointOutcomeRecord>().AsNoTracking()
            .Where(outcome => outcome.At >= day)
            .GroupBy(outcome => outcome.EndpointId)
            .Select(calls => new
            {
                EndpointId = calls.Key,
                // Each outcome stands for Weight calls (gateways sample busy endpoints).
                CallsLast30m = calls.Where(outcome => outcome.At >= recent).Sum(outcome => outcome.Weight),
                FailuresLast30m = calls.Where(outcome => !outcome.Succeeded && outcome.At >= recent).Sum(outcome => outcome.Weight),
                CallsLast1d = calls.Sum(outcome => outcome.Weight),
                FailuresLast1d = calls.Where(outcome => !outcome.Succeeded).Sum(outcome => outcome.Weight),
                LastFailureAt = calls.Where(outcome => !outcome.Succeeded).Max(outcome => (DateTimeOffset?)outcome.At),
            })
            .ToDictionaryAsync(row => row.EndpointId, ct);
        var endpoints = await db.ModelEndpoints.AsNoTracking().Include(endpoint => endpoint.Stats)
            .OrderBy(endpoint => endpoint.ModelId).ThenBy(endpoint => endpoint.ProviderSlug)
            .ToListAsync(ct);

        return TypedResults.Ok(new EndpointHealthListResponse([.. endpoints.Select(endpoint =>
        {
            var calls = counts.GetValueOrDefault(endpoint.Id);
            return new EndpointHealthResponse(
                EndpointId: endpoint.Id,
                ModelId: endpoint.ModelId,
                Provider: endpoint.ProviderSlug,
                Status: endpoint.Status.ToString(),
                IsEnabled: endpoint.IsEnabled,
                CallsLast30m: Calls(calls?.CallsLast30m),
                FailuresLast30m: Calls(calls?.FailuresLast30m),
                CallsLast1d: Calls(calls?.CallsLast1d),
                FailuresLast1d: Calls(calls?.FailuresLast1d),
                UptimeLast30m: endpoint.Stats?.UptimeLast30m,
                UptimeLast1d: endpoint.Stats?.UptimeLast1d,
                LatencyP50Last30m: endpoint.Stats?.LatencyP50Last30m,
                ThroughputP50Last30m: endpoint.Stats?.ThroughputP50Last30m,
                LastFailureAt: calls?.LastFailureAt);
        })]));
    }

    private static int Calls(double? weight) => (int)Math.Round(weight ?? 0);

    /// <summary>
    /// The newest failed upstream calls (errors, timeouts, refused connections; not rate limits), newest first:
    /// every failure of a quiet endpoint, a sample of a busy one's.
    /// </summary>
    private static async Task<Ok<EndpointFailureListResponse>> GetRecentFailuresAsync(
        CatalogDbContext db, [FromQuery] int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? DefaultFailureLimit, 1, MaxFailureLimit);
        var failures = await db.Set<EndpointOutcomeRecord>().AsNoTracking()
            .Where(outcome => !outcome.Succeeded)
            .OrderByDescending(outcome => outcome.At).ThenByDescending(outcome => outcome.Id)
            .Take(take)
            .Join(db.ModelEndpoints, outcome => outcome.EndpointId, endpoint => endpoint.Id,
                (outcome, endpoint) => new EndpointFailureResponse(outcome.At, endpoint.Id, endpoint.ModelId, endpoint.ProviderSlug))
            .ToListAsync(ct);
        // The join may reorder rows; the page lists them newest first.
        return TypedResults.Ok(new EndpointFailureListResponse([.. failures.OrderByDescending(failure => failure.At)]));
    }
}

public sealed record EndpointHealthListResponse(IReadOnlyList<EndpointHealthResponse> Data);

/// <summary>One endpoint's health: counts of gateway-reported calls, uptime in percent, latency (time to first token) in ms.</summary>
public sealed record EndpointHealthResponse(
    int EndpointId,
    string ModelId,
    string Provider,
    string Status,
    bool IsEnabled,
    int CallsLast30m,
    int FailuresLast30m,
    int CallsLast1d,
    int FailuresLast1d,
    double? UptimeLast30m,
    double? UptimeLast1d,
    double? LatencyP50Last30m,
    double? ThroughputP50Last30m,
    DateTimeOffset? LastFailureAt);

public sealed record EndpointFailureListResponse(IReadOnlyList<EndpointFailureResponse> Data);

public sealed record EndpointFailureResponse(DateTimeOffset At, int EndpointId, string ModelId, string Provider);
