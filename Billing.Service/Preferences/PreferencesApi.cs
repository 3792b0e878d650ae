using Billing.Service.Accounts;
using Billing.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Billing.Service.Preferences;

/// <summary>
/// Default provider preferences over billing's internal API: the portal reads and saves a signed-in user's, and
/// gateways read an account's to merge into its requests. Every save is announced on
/// <see cref="AccountPreferencesContract.ChangedChannel"/>, so gateways apply it within a second.
/// </summary>
public static class PreferencesApi
{
    public static IEndpointRouteBuilder MapPreferencesApi(this IEndpointRouteBuilder app)
    {
        var preferences = app.MapGroup("/internal/accounts/{ownerUserId}/preferences");
        preferences.MapGet("/", GetAsync);
        preferences.MapPut("/", SaveAsync);

        app.MapGet("/internal/preferences/{accountId:guid}", async (Guid accountId, BillingDbContext db, CancellationToken cancellationToken)
            => TypedResults.Json(await LoadAsync(db, accountId, cancellationToken), AccountPreferencesJsonContext.Default.AccountPreferences));
        return app;
    }

    public static async Task<Results<JsonHttpResult<AccountPreferences>, JsonHttpResult<ErrorResponse>>> GetAsync(
        string ownerUserId, BillingDbContext db, CancellationToken cancellationToken)
        => await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is { } account
            ? TypedResults.Json(await LoadAsync(db, account.Id, cancellationToken), AccountPreferencesJsonContext.Default.AccountPreferences)
            : AccountsApi.AccountNotFound();

    public static async Task<Results<JsonHttpResult<AccountPreferences>, JsonHttpResult<ErrorResponse>>> SaveAsync(
        string ownerUserId, AccountPreferences? request, BillingDbContext db, IConnectionMultiplexer redis, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountsApi.AccountNotFound();
        }
        var (preferences, problem) = PreferenceRules.Normalize(request);
        if (preferences is null)
        {
            return ApiError.BadRequest(problem!);
        }

        // One row per account: an upsert, so two saves at once cannot both insert.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO account_preferences ("AccountId", "DataCollection", "IgnoredProviders", "UpdatedAt")
            VALUES ({account.Id}, {preferences.DataCollection}, {preferences.IgnoredProviders.ToArray()}, {clock.GetUtcNow()})
            ON CONFLICT ("AccountId") DO UPDATE SET "DataCollection" = EXCLUDED."DataCollection",
                "IgnoredProviders" = EXCLUDED."IgnoredProviders", "UpdatedAt" = EXCLUDED."UpdatedAt"
            """, cancellationToken);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AccountPreferencesContract.ChangedChannel), account.Id.ToString("D"));
        return TypedResults.Json(preferences, AccountPreferencesJsonContext.Default.AccountPreferences);
    }

    private static async Task<AccountPreferences> LoadAsync(BillingDbContext db, Guid accountId, CancellationToken cancellationToken)
        => await db.Set<AccountPreference>().AsNoTracking()
                .Where(preference => preference.AccountId == accountId)
                .Select(preference => new AccountPreferences(preference.DataCollection, preference.IgnoredProviders))
                .SingleOrDefaultAsync(cancellationToken)
            ?? AccountPreferences.Default;
}
