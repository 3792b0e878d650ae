using Billing.Service.Ledger;

namespace UnitTests.Billing;

public class KeySpendingPeriodsTests
{
    // Tuesday 2026-12-01: the week began on Monday 30 November, in the previous month.
    private static readonly DateTimeOffset FirstOfDecember = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Buckets_are_read_from_the_earlier_of_the_week_and_month_start()
    {
        Assert.Equal(new DateOnly(2026, 11, 30), KeySpendingPeriods.FirstDay(FirstOfDecember));
        // Mid-month on a Monday the month began first.
        Assert.Equal(new DateOnly(2026, 11, 1), KeySpendingPeriods.FirstDay(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_week_that_began_last_month_counts_its_days_in_the_week_but_not_the_month()
    {
        (DateOnly, long)[] days =
        [
            (new DateOnly(2026, 11, 29), 1),   // Sunday: last week and last month
            (new DateOnly(2026, 11, 30), 10),  // Monday: this week, last month
            (new DateOnly(2026, 12, 1), 100),  // today
        ];

        var usage = KeySpendingPeriods.Sum(totalNanos: 1_000, days, FirstOfDecember);

        Assert.Equal(new KeyUsage(TotalNanos: 1_000, DailyNanos: 100, WeeklyNanos: 110, MonthlyNanos: 100), usage);
    }

    [Fact]
    public void Late_in_a_month_the_month_holds_more_days_than_the_week()
    {
        // Thursday 2026-11-26, just before midnight UTC (and already Friday at UTC+2: the periods are UTC).
        var now = new DateTimeOffset(2026, 11, 27, 1, 59, 59, TimeSpan.FromHours(2));
        (DateOnly, long)[] days =
        [
            (new DateOnly(2026, 11, 1), 1),
            (new DateOnly(2026, 11, 22), 10),  // Sunday before the week
            (new DateOnly(2026, 11, 23), 100), // Monday
            (new DateOnly(2026, 11, 26), 1_000),
        ];

        var usage = KeySpendingPeriods.Sum(totalNanos: 5_000, days, now);

        Assert.Equal(new KeyUsage(5_000, 1_000, 1_100, 1_111), usage);
    }
}
