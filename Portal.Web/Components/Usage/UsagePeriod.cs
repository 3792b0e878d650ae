using System.Globalization;

namespace Portal.Web.Components.Usage;

/// <summary>The dashboard's period presets; <see cref="Custom"/> is a range picked by hand.</summary>
public enum UsagePeriodPreset
{
    Last7Days = 7,
    Last30Days = 30,
    Last90Days = 90,
    Custom = 0,
}

/// <summary>An inclusive range of UTC days, as billing groups usage.</summary>
public readonly record struct UsagePeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The last <paramref name="days"/> UTC days up to and including today.</summary>
    public static UsagePeriod Last(int days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new UsagePeriod(today.AddDays(1 - days), today);
    }

    public override string ToString()
        => $"{From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
}

/// <summary>How the usage pages write numbers.</summary>
public static class UsageFormat
{
    /// <summary>Token counts: 950, 12.3K, 4.56M.</summary>
    public static string Tokens(long tokens) => tokens switch
    {
        >= 1_000_000 => (tokens / 1_000_000m).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (tokens / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => tokens.ToString("#,##0", CultureInfo.InvariantCulture),
    };

    public static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Milliseconds(int? value) => value is { } ms
        ? ms >= 10_000 ? (ms / 1000m).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("#,##0", CultureInfo.InvariantCulture) + " ms"
        : "—";

    public static string Time(DateTimeOffset value)
        => value.UtcDateTime.ToString("d MMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string KeyName(string? name, string? label) => name ?? (label is null ? "Deleted key" : label);
}
