using Billing.Service.Keys;
using Billing.Service.Ledger;
using OpenRouterClone.Shared.Credits;

namespace UnitTests.Billing;

public class LedgerRulesTests
{
    private static readonly Guid Account = Guid.NewGuid();

    [Fact]
    public void A_balanced_posting_is_accepted()
    {
        var posting = Posting(new(LedgerBook.CustomerCredits, 500, Account), new(LedgerBook.Adjustments, -500));

        LedgerService.EnsureBalanced(posting);
    }

    public static TheoryData<LedgerPostingEntry[]> Unbalanced => new()
    {
        new LedgerPostingEntry[] { new(LedgerBook.CustomerCredits, 500, Account), new(LedgerBook.Adjustments, -499) },
        new LedgerPostingEntry[] { new(LedgerBook.CustomerCredits, 500, Account) },
        new LedgerPostingEntry[] { new(LedgerBook.CustomerCredits, 0, Account), new(LedgerBook.Adjustments, 0) },
        // A customer entry without its account, and an account on a platform book.
        new LedgerPostingEntry[] { new(LedgerBook.CustomerCredits, 500), new(LedgerBook.Adjustments, -500) },
        new LedgerPostingEntry[] { new(LedgerBook.CustomerCredits, 500, Account), new(LedgerBook.Adjustments, -500, Account) },
    };

    [Theory]
    [MemberData(nameof(Unbalanced))]
    public void Unbalanced_or_malformed_postings_are_refused(LedgerPostingEntry[] entries) =>
        Assert.Throws<ArgumentException>(() => LedgerService.EnsureBalanced(Posting(entries)));

    [Fact]
    public void Usage_periods_start_at_the_UTC_day_the_Monday_and_the_first_of_the_month()
    {
        // Wednesday 2026-11-25 14:30 at UTC+2 is 12:30 UTC.
        var periods = UsagePeriods.At(new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), periods.DayStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), periods.WeekStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), periods.MonthStart);
    }

    [Fact]
    public void On_a_Sunday_the_week_started_six_days_before() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero),
            UsagePeriods.At(new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero)).WeekStart);

    [Theory]
    [InlineData(KeyLimitReset.None, 3.0)]
    [InlineData(KeyLimitReset.Monthly, 6.0)]
    [InlineData(KeyLimitReset.Weekly, 8.0)]
    [InlineData(KeyLimitReset.Daily, 9.5)]
    public void The_remaining_limit_counts_only_the_current_reset_period(KeyLimitReset reset, double expectedRemaining)
    {
        var key = new ApiKey { Hash = "h", Label = "l", Name = "n", LimitNanos = 10_000_000_000, LimitReset = reset };
        var usage = new KeyUsage(TotalNanos: 7_000_000_000, DailyNanos: 500_000_000, WeeklyNanos: 2_000_000_000, MonthlyNanos: 4_000_000_000);

        var (limit, remaining) = KeyService.LimitView(key, usage);

        Assert.Equal(10m, limit);
        Assert.Equal((decimal)expectedRemaining, remaining);
    }

    [Fact]
    public void The_remaining_limit_never_goes_below_zero_and_no_limit_means_none()
    {
        var capped = new ApiKey { Hash = "h", Label = "l", Name = "n", LimitNanos = 1_000_000_000 };
        Assert.Equal(0m, KeyService.LimitView(capped, new KeyUsage(5_000_000_000, 0, 0, 0)).Remaining);

        var uncapped = new ApiKey { Hash = "h", Label = "l", Name = "n" };
        Assert.Equal((null, null), KeyService.LimitView(uncapped, KeyUsage.None));
    }

    private static LedgerPosting Posting(params LedgerPostingEntry[] entries)
        => new(Account, LedgerTransactionKind.Adjustment, "test", entries);
}
