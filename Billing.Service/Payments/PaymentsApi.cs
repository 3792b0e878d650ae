using Billing.Service.Accounts;
using Billing.Service.Data;
using Billing.Service.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;
using Stripe;
using Account = Billing.Service.Accounts.Account;

namespace Billing.Service.Payments;

/// <summary>
/// The portal's side of top-ups, under /internal (internal service key): price previews, Checkout Sessions, their
/// status after the payment page, and the account's ledger history. Sessions are scoped to the owner's account.
/// </summary>
public static partial class PaymentsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private const int MaxUrlLength = 2048;
    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/internal/accounts");
        accounts.MapPost("/{ownerUserId}/checkout", CreateCheckoutAsync);
        accounts.MapGet("/{ownerUserId}/checkout/{sessionId}", GetCheckoutAsync);
        accounts.MapGet("/{ownerUserId}/transactions", ListTransactionsAsync);
        app.MapGet("/internal/pricing/top-up", PreviewTopUp);
        return app;
    }

    public static Results<Ok<TopUpPriceResponse>, JsonHttpResult<ErrorResponse>> PreviewTopUp([FromQuery(Name = "amount_usd")] decimal? amountUsd, IOptions<StripeOptions> options)
    {
        var settings = options.Value;
        if (TopUpPricing.Validate(amountUsd, settings, out var amountCents) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }
        var quote = TopUpPricing.Quote(amountCents, settings);
        return TypedResults.Ok(new TopUpPriceResponse(quote.AmountUsd, quote.FeeUsd, quote.TotalUsd, settings.FeePercent, settings.MinimumFeeUsd,
            settings.MinimumTopUpUsd, settings.MaximumTopUpUsd, settings.Currency));
    }

    public static async Task<Results<Created<CheckoutResponse>, JsonHttpResult<ErrorResponse>>> CreateCheckoutAsync(
        string ownerUserId, CheckoutRequest request, BillingDbContext db, CheckoutService checkout, IOptions<StripeOptions> options,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await FindAccountAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        if (TopUpPricing.Validate(request.AmountUsd, options.Value, out var amountCents) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }
        if (!IsHttpUrl(request.SuccessUrl) || !IsHttpUrl(request.CancelUrl))
        {
            return ApiError.BadRequest($"'success_url' and 'cancel_url' must be absolute http(s) URLs of at most {MaxUrlLength} characters");
        }
        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength))
        {
            return ApiError.BadRequest($"'idempotency_key' must be non-blank and at most {MaxIdempotencyKeyLength} characters");
        }

        var quote = TopUpPricing.Quote(amountCents, options.Value);
        try
        {
            var (payment, url) = await checkout.CreateAsync(account, quote, request.SuccessUrl!, request.CancelUrl!, request.IdempotencyKey, cancellationToken);
            var stored = new TopUpQuote(payment.CreditsNanos / TopUpPricing.NanosPerCent, payment.FeeNanos / TopUpPricing.NanosPerCent);
            return TypedResults.Created($"/internal/accounts/{Uri.EscapeDataString(ownerUserId)}/checkout/{Uri.EscapeDataString(payment.SessionId)}",
                new CheckoutResponse(payment.SessionId, url, stored.AmountUsd, stored.FeeUsd, stored.TotalUsd));
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "idempotency_error")
        {
            return ApiError.Create(StatusCodes.Status409Conflict, "This idempotency_key was used for a different top-up");
        }
        catch (StripeException ex)
        {
            LogStripeFailed(loggers.CreateLogger(typeof(PaymentsApi)), ex, (int?)ex.HttpStatusCode ?? 0);
            return ApiError.Create(StatusCodes.Status502BadGateway, "The payment provider could not start the checkout; try again");
        }
    }

    public static async Task<Results<Ok<CheckoutStatusResponse>, JsonHttpResult<ErrorResponse>>> GetCheckoutAsync(
        string ownerUserId, string sessionId, BillingDbContext db, LedgerService ledger, CancellationToken cancellationToken)
    {
        if (await FindAccountAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        var payment = await db.Payments.AsNoTracking()
            .SingleOrDefaultAsync(existing => existing.SessionId == sessionId && existing.AccountId == account.Id, cancellationToken);
        if (payment is null)
        {
            return ApiError.NotFound("No such checkout session for this account");
        }
        var quote = new TopUpQuote(payment.CreditsNanos / TopUpPricing.NanosPerCent, payment.FeeNanos / TopUpPricing.NanosPerCent);
        var balance = await ledger.BalanceAsync(account.Id, cancellationToken);
        return TypedResults.Ok(new CheckoutStatusResponse(payment.SessionId, payment.Status.ToString().ToLowerInvariant(),
            quote.AmountUsd, quote.FeeUsd, quote.TotalUsd, Nanos.ToUsd(balance)));
    }

    /// <summary>The account's ledger transactions, newest first, each with what it did to the customer's credits.</summary>
    public static async Task<Results<Ok<TransactionListResponse>, JsonHttpResult<ErrorResponse>>> ListTransactionsAsync(
        string ownerUserId, int? offset, int? limit, BillingDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAccountAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        var skip = offset ?? 0;
        var take = limit ?? DefaultPageSize;
        if (skip < 0 || take is < 1 or > MaxPageSize)
        {
            return ApiError.BadRequest($"'offset' must be at least 0 and 'limit' between 1 and {MaxPageSize}");
        }

        var transactions = db.LedgerTransactions.AsNoTracking().Where(transaction => transaction.AccountId == account.Id);
        // Kept by a ledger trigger: counting a busy account's transactions would read all of them on every page.
        var total = await db.AccountCreditTotals.AsNoTracking()
            .Where(totals => totals.AccountId == account.Id)
            .Select(totals => (long?)totals.TransactionCount)
            .SingleOrDefaultAsync(cancellationToken) ?? 0;
        var page = await transactions
            .OrderByDescending(transaction => transaction.CreatedAt)
            .ThenByDescending(transaction => transaction.Id)
            .Skip(skip)
            .Take(take)
            .Select(transaction => new
            {
                transaction.Id,
                transaction.Kind,
                Amount = transaction.Entries
                    .Where(entry => entry.Book == LedgerBook.CustomerCredits && entry.AccountId == account.Id)
                    .Sum(entry => entry.Amount),
                transaction.Description,
                transaction.CreatedAt,
                transaction.Reference,
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new TransactionListResponse(
            [.. page.Select(row => new TransactionResponse(row.Id, KindName(row.Kind), Nanos.ToUsd(row.Amount), row.Description, row.CreatedAt, row.Reference))],
            skip, take, (int)Math.Min(total, int.MaxValue)));
    }

    /// <summary>The kind as the API spells it: <c>top_up</c>, <c>usage</c>, <c>platform_fee</c>, <c>refund</c>, <c>adjustment</c>, <c>chargeback</c>.</summary>
    public static string KindName(LedgerTransactionKind kind) => kind switch
    {
        LedgerTransactionKind.TopUp => "top_up",
        LedgerTransactionKind.PlatformFee => "platform_fee",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static bool IsHttpUrl(string? url)
        => url is { Length: <= MaxUrlLength }
            && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static Task<Account?> FindAccountAsync(BillingDbContext db, string ownerUserId, CancellationToken cancellationToken)
        => db.Accounts.AsNoTracking().SingleOrDefaultAsync(account => account.OwnerUserId == ownerUserId, cancellationToken);

    private static JsonHttpResult<ErrorResponse> AccountNotFound() => ApiError.NotFound("No billing account for this user");

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe refused or failed to create a checkout session (HTTP {StatusCode})")]
    private static partial void LogStripeFailed(ILogger logger, Exception exception, int statusCode);
}
