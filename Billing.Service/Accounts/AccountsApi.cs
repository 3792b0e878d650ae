using System.ComponentModel.DataAnnotations;
using Billing.Service.Data;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using OpenRouterClone.Shared.Credits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared;

namespace Billing.Service.Accounts;

/// <summary>
/// Service-to-service API the portal calls for its signed-in user (and, for adjustments, its administrators).
/// It lives under /internal, which the gateway never forwards, and needs the internal service key
/// (<see cref="InternalApiOptions"/>) besides.
/// </summary>
public static class AccountsApi
{
    private const int MaxOwnerUserIdLength = 64;
    private const int MaxReasonLength = 512;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/accounts");
        api.MapPut("/{ownerUserId}", EnsureAccountAsync);
        api.MapGet("/{ownerUserId}", GetAccountAsync);

        api.MapGet("/{ownerUserId}/keys", ListKeysAsync);
        api.MapPost("/{ownerUserId}/keys", CreateKeyAsync);
        api.MapPatch("/{ownerUserId}/keys/{hash}", UpdateKeyAsync);
        api.MapDelete("/{ownerUserId}/keys/{hash}", DeleteKeyAsync);

        api.MapGet("/{ownerUserId}/credits", GetCreditsAsync);
        api.MapPost("/{ownerUserId}/adjustments", AdjustCreditsAsync);
        return app;
    }

    /// <summary>Creates the user's account if it does not exist yet; calling it again returns the same account.</summary>
    public static async Task<Results<Ok<AccountResponse>, Created<AccountResponse>, JsonHttpResult<ErrorResponse>>> EnsureAccountAsync(
        string ownerUserId, EnsureAccountRequest request, BillingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ownerUserId.Length > MaxOwnerUserIdLength)
        {
            return ApiError.BadRequest($"ownerUserId must be at most {MaxOwnerUserIdLength} characters");
        }
        if (string.IsNullOrWhiteSpace(request.Email) || !new EmailAddressAttribute().IsValid(request.Email))
        {
            return ApiError.BadRequest("email must be a valid email address");
        }

        if (await FindAsync(db, ownerUserId, cancellationToken) is { } existing)
        {
            return TypedResults.Ok(ToResponse(existing));
        }

        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            OwnerUserId = ownerUserId,
            Email = request.Email,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent call created it first: answer with that one, so the call stays idempotent.
            var winner = await db.Accounts.AsNoTracking().SingleAsync(a => a.OwnerUserId == ownerUserId, cancellationToken);
            return TypedResults.Ok(ToResponse(winner));
        }

        return TypedResults.Created($"/internal/accounts/{Uri.EscapeDataString(ownerUserId)}", ToResponse(account));
    }

    public static async Task<Results<Ok<AccountResponse>, JsonHttpResult<ErrorResponse>>> GetAccountAsync(
        string ownerUserId, BillingDbContext db, CancellationToken cancellationToken)
        => await FindAsync(db, ownerUserId, cancellationToken) is { } account
            ? TypedResults.Ok(ToResponse(account))
            : AccountNotFound();

    public static async Task<Results<Ok<KeyListEnvelope>, JsonHttpResult<ErrorResponse>>> ListKeysAsync(
        string ownerUserId, BillingDbContext db, KeyService keys, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        return TypedResults.Ok(await keys.ListAsync(account.Id, offset: 0, includeDisabled: true, cancellationToken));
    }

    public static async Task<Results<Created<CreatedKeyEnvelope>, JsonHttpResult<ErrorResponse>>> CreateKeyAsync(
        string ownerUserId, CreateKeyRequest request, BillingDbContext db, KeyService keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        if (KeyRequestValidator.Validate(request, clock.GetUtcNow()) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }

        var (key, secret) = await keys.CreateAsync(account.Id, request with { CreatorUserId = ownerUserId }, allowProvisioning: true, cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{key.Hash}", new CreatedKeyEnvelope(await keys.DescribeAsync(key, cancellationToken), secret));
    }

    public static async Task<Results<Ok<KeyEnvelope>, JsonHttpResult<ErrorResponse>>> UpdateKeyAsync(
        string ownerUserId, string hash, UpdateKeyRequest request, BillingDbContext db, KeyService keys, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        if (KeyRequestValidator.Validate(request) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }
        var key = await keys.UpdateAsync(account.Id, hash, request, cancellationToken);
        return key is null
            ? KeysApi.KeyNotFound()
            : TypedResults.Ok(new KeyEnvelope(await keys.DescribeAsync(key, cancellationToken)));
    }

    public static async Task<Results<Ok<DeletedKeyResponse>, JsonHttpResult<ErrorResponse>>> DeleteKeyAsync(
        string ownerUserId, string hash, BillingDbContext db, KeyService keys, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        return await keys.DeleteAsync(account.Id, hash, cancellationToken)
            ? TypedResults.Ok(new DeletedKeyResponse(true))
            : KeysApi.KeyNotFound();
    }

    public static async Task<Results<Ok<CreditsEnvelope>, JsonHttpResult<ErrorResponse>>> GetCreditsAsync(
        string ownerUserId, BillingDbContext db, LedgerService ledger, CancellationToken cancellationToken)
        => await FindAsync(db, ownerUserId, cancellationToken) is { } account
            ? TypedResults.Ok(CreditsApi.ToEnvelope(await ledger.TotalsAsync(account.Id, cancellationToken)))
            : AccountNotFound();

    /// <summary>An administrator's manual credit change, recorded with its reason and actor.</summary>
    public static async Task<Results<Ok<CreditAdjustmentResponse>, JsonHttpResult<ErrorResponse>>> AdjustCreditsAsync(
        string ownerUserId, CreditAdjustmentRequest request, BillingDbContext db, LedgerService ledger, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        if (request.AmountUsd is not { } amountUsd || amountUsd == 0 || Math.Abs(amountUsd) > ApiKeyRules.MaxLimitUsd)
        {
            return ApiError.BadRequest($"'amount_usd' must be non-zero and at most {ApiKeyRules.MaxLimitUsd} USD either way");
        }
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength)
        {
            return ApiError.BadRequest($"'reason' is required (at most {MaxReasonLength} characters)");
        }
        if (string.IsNullOrWhiteSpace(request.Actor))
        {
            return ApiError.BadRequest("'actor' is required");
        }

        var amount = Nanos.FromUsd(amountUsd);
        var posting = new LedgerPosting(
            account.Id,
            LedgerTransactionKind.Adjustment,
            // Without a caller-chosen key every call is a new adjustment; with one, retries apply once.
            Reference: $"adjustment:{request.IdempotencyKey ?? Guid.CreateVersion7().ToString()}",
            Entries:
            [
                new LedgerPostingEntry(LedgerBook.CustomerCredits, amount, account.Id),
                new LedgerPostingEntry(LedgerBook.Adjustments, -amount),
            ],
            Description: request.Reason.Trim(),
            Actor: request.Actor.Trim());

        var outcome = await ledger.PostAsync(posting, cancellationToken);
        if (outcome == PostingOutcome.InsufficientCredits)
        {
            return ApiError.BadRequest("The adjustment would make the balance negative");
        }
        var balance = await ledger.BalanceAsync(account.Id, cancellationToken);
        return TypedResults.Ok(new CreditAdjustmentResponse(outcome == PostingOutcome.Posted ? "posted" : "already_posted", Nanos.ToUsd(balance)));
    }

    internal static Task<Account?> FindAsync(BillingDbContext db, string ownerUserId, CancellationToken cancellationToken)
        => db.Accounts.AsNoTracking().SingleOrDefaultAsync(account => account.OwnerUserId == ownerUserId, cancellationToken);

    internal static JsonHttpResult<ErrorResponse> AccountNotFound() => ApiError.NotFound("No billing account for this user");

    private static AccountResponse ToResponse(Account account)
        => new(account.Id, account.OwnerUserId, account.Email, account.CreatedAt);
}
