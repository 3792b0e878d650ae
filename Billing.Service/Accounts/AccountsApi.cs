using System.ComponentModel.DataAnnotations;
using Billing.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared;

namespace Billing.Service.Accounts;

/// <summary>
/// Service-to-service API the portal calls when a user signs up. It lives under /internal, which the
/// gateway never forwards, so the public internet cannot reach it.
/// </summary>
public static class AccountsApi
{
    private const int MaxOwnerUserIdLength = 64;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/accounts");
        api.MapPut("/{ownerUserId}", EnsureAccountAsync);
        api.MapGet("/{ownerUserId}", GetAccountAsync);
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
            : ApiError.NotFound("No billing account for this user");

    private static Task<Account?> FindAsync(BillingDbContext db, string ownerUserId, CancellationToken cancellationToken)
        => db.Accounts.AsNoTracking().SingleOrDefaultAsync(account => account.OwnerUserId == ownerUserId, cancellationToken);

    private static AccountResponse ToResponse(Account account)
        => new(account.Id, account.OwnerUserId, account.Email, account.CreatedAt);
}
