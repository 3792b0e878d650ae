using Billing.Service.Ledger;
using Billing.Service.Payments;

namespace UnitTests.Billing;

public class StripeWebhookRulesTests
{
    private static readonly Guid Account = Guid.NewGuid();

    // $20 of credits plus a $1.10 fee: 2110 cents charged.
    private static Payment NewPayment() => new()
    {
        SessionId = "cs_test_1",
        AccountId = Account,
        CreditsNanos = 20_000_000_000,
        FeeNanos = 1_100_000_000,
        TotalCents = 2110,
        Currency = "usd",
        Status = PaymentStatus.Completed,
    };

    [Fact]
    public void A_paid_session_for_the_stored_amount_and_currency_is_credited()
        => Assert.Equal(CompletionVerdict.Credit, PaymentRules.CheckCompletion(NewPayment(), 2110, "usd", "paid", Account.ToString()));

    [Fact]
    public void A_completed_but_unpaid_session_waits()
        => Assert.Equal(CompletionVerdict.NotPaidYet, PaymentRules.CheckCompletion(NewPayment(), 2110, "usd", "unpaid", Account.ToString()));

    [Theory]
    [InlineData(2109L, "usd", null)]
    [InlineData(null, "usd", null)]
    [InlineData(2110L, "eur", null)]
    [InlineData(2110L, "usd", "someone-else")]
    public void A_session_that_does_not_match_the_payment_is_never_credited(long? amountTotal, string currency, string? clientReferenceId)
        => Assert.Equal(CompletionVerdict.Mismatch, PaymentRules.CheckCompletion(NewPayment(), amountTotal, currency, "paid", clientReferenceId));

    [Fact]
    public void Top_up_entries_balance_and_credit_the_customer_and_the_platform()
    {
        var entries = PaymentRules.TopUpEntries(NewPayment());

        LedgerService.EnsureBalanced(new LedgerPosting(Account, LedgerTransactionKind.TopUp, "stripe:session:cs_test_1", entries));
        Assert.Equal(20_000_000_000, entries.Single(entry => entry.Book == LedgerBook.CustomerCredits).Amount);
        Assert.Equal(1_100_000_000, entries.Single(entry => entry.Book == LedgerBook.PlatformRevenue).Amount);
        Assert.Equal(-21_100_000_000, entries.Single(entry => entry.Book == LedgerBook.PaymentClearing).Amount);
    }

    [Fact]
    public void A_full_refund_reverses_credits_and_fee_exactly()
    {
        var reversal = PaymentRules.ForRefund(NewPayment(), 2110);

        Assert.Equal(new Reversal(20_000_000_000, 1_100_000_000, 2110), reversal);
    }

    [Fact]
    public void Partial_refunds_reverse_proportionally_and_add_up_to_the_whole()
    {
        var payment = NewPayment();

        var first = PaymentRules.ForRefund(payment, 1055)!;
        // Half the charge: half the credits.
        Assert.Equal(10_000_000_000, first.CreditsNanos);
        Assert.Equal(550_000_000, first.FeeNanos);
        PaymentRules.Apply(payment, first);

        var second = PaymentRules.ForRefund(payment, 1700)!;
        PaymentRules.Apply(payment, second);
        var last = PaymentRules.ForRefund(payment, 2110)!;
        PaymentRules.Apply(payment, last);

        Assert.Equal(payment.CreditsNanos, payment.ReversedCreditsNanos);
        Assert.Equal(payment.FeeNanos, payment.ReversedFeeNanos);
        Assert.Equal(2110, payment.ReversedCents);
        // Each step returns exactly the cents refunded in it.
        Assert.Equal([1055 * TopUpPricing.NanosPerCent, 645 * TopUpPricing.NanosPerCent, 410 * TopUpPricing.NanosPerCent],
            new[] { first, second, last }.Select(step => step.MoneyNanos));
    }

    [Fact]
    public void A_refund_step_already_covered_reverses_nothing_so_late_or_repeated_events_count_once()
    {
        var payment = NewPayment();
        PaymentRules.Apply(payment, PaymentRules.ForRefund(payment, 1700)!);

        Assert.Null(PaymentRules.ForRefund(payment, 1700));
        Assert.Null(PaymentRules.ForRefund(payment, 1055));
    }

    [Fact]
    public void A_dispute_takes_back_whatever_is_left()
    {
        var payment = NewPayment();
        PaymentRules.Apply(payment, PaymentRules.ForRefund(payment, 1055)!);

        var dispute = PaymentRules.ForDispute(payment)!;

        Assert.Equal(10_000_000_000, dispute.CreditsNanos);
        Assert.Equal(550_000_000, dispute.FeeNanos);
        PaymentRules.Apply(payment, dispute);
        Assert.Null(PaymentRules.ForDispute(payment));
        Assert.Null(PaymentRules.ForRefund(payment, 2110));
    }

    [Fact]
    public void Reversal_entries_balance_and_leave_out_empty_books()
    {
        var entries = PaymentRules.ReversalEntries(Account, new Reversal(0, 5, 1));

        LedgerService.EnsureBalanced(new LedgerPosting(Account, LedgerTransactionKind.Refund, "r", entries));
        Assert.DoesNotContain(entries, entry => entry.Book == LedgerBook.CustomerCredits);
    }

    [Theory]
    [InlineData(LedgerTransactionKind.Usage, true)]
    [InlineData(LedgerTransactionKind.PlatformFee, true)]
    [InlineData(LedgerTransactionKind.Refund, true)]
    [InlineData(LedgerTransactionKind.Chargeback, true)]
    [InlineData(LedgerTransactionKind.Adjustment, false)]
    [InlineData(LedgerTransactionKind.TopUp, false)]
    public void Only_usage_and_payment_reversals_may_overdraw(LedgerTransactionKind kind, bool mayOverdraw)
        => Assert.Equal(mayOverdraw, LedgerService.MayOverdraw(kind));
}
