using System.Globalization;

namespace OpenRouterClone.Shared.Credits;

/// <summary>Starts of the UTC periods that key limits reset on: the day, the ISO week (Monday), the month.</summary>
public readonly record struct UsagePeriods(DateTimeOffset DayStart, DateTimeOffset WeekStart, DateTimeOffset MonthStart)
{
    public static UsagePeriods At(DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var daysSinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return new UsagePeriods(day, day.AddDays(-daysSinceMonday), new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>
    /// A name for the period a key's spending counts in, for a limit reset of <c>daily</c>, <c>weekly</c>,
    /// <c>monthly</c> or none (empty): when the name changes, the key's spending starts over.
    /// </summary>
    public static string PeriodId(string? limitReset, DateTimeOffset now)
    {
        var periods = At(now);
        return limitReset switch
        {
            "daily" => "d" + periods.DayStart.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "weekly" => "w" + periods.WeekStart.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "monthly" => "m" + periods.MonthStart.ToString("yyyyMM", CultureInfo.InvariantCulture),
            _ => "all",
        };
    }
}
