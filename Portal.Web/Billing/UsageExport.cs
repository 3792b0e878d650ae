using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Billing;

/// <summary>
/// GET /activity/export: the signed-in user's generations matching the dashboard's filters as a CSV download.
/// The user id comes from the authentication cookie, never from the query, so nobody can export another account.
/// </summary>
public static class UsageExport
{
    public const string Path = "/activity/export";

    /// <summary>A download stops here; narrower filters get the rest.</summary>
    public const int MaxRows = 10_000;

    private static readonly string[] Header =
    [
        "id", "created_at", "model", "provider", "key_name", "key_label", "tokens_prompt", "tokens_completion",
        "tokens_reasoning", "tokens_cached", "cost_usd", "latency_ms", "time_to_first_token_ms", "finish_reason", "streamed", "cancelled",
    ];

    public static IEndpointRouteBuilder MapUsageExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync).RequireAuthorization();
        return app;
    }

    /// <summary>The export link for a filter (relative to the base URI, as the dashboard renders it).</summary>
    public static string LinkFor(DateOnly from, DateOnly to, string? model, string? keyHash)
    {
        var link = new StringBuilder(Path.TrimStart('/'))
            .Append("?from=").Append(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Append("&to=").Append(to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(model))
        {
            link.Append("&model=").Append(Uri.EscapeDataString(model));
        }
        if (!string.IsNullOrEmpty(keyHash))
        {
            link.Append("&key_hash=").Append(Uri.EscapeDataString(keyHash));
        }
        return link.ToString();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        string? from, string? to, string? model, [FromQuery(Name = "key_hash")] string? keyHash,
        ClaimsPrincipal user, IBillingClient billing, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
        {
            return TypedResults.Problem("Sign in again to export your activity.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!TryParseDay(to, today, out var last) || !TryParseDay(from, last.AddDays(-29), out var first) || first > last)
        {
            return TypedResults.Problem("'from' and 'to' must be UTC days as YYYY-MM-DD, 'from' not after 'to'.", statusCode: StatusCodes.Status400BadRequest);
        }

        var rows = new List<GenerationInfo>();
        try
        {
            var query = new GenerationQuery(first, last, model, keyHash, Offset: 0, Limit: GenerationQuery.MaxLimit);
            while (rows.Count < MaxRows)
            {
                var page = await billing.ListGenerationsAsync(userId, query with { Offset = rows.Count }, cancellationToken);
                rows.AddRange(page.Data);
                if (page.Data.Count == 0 || rows.Count >= page.TotalCount)
                {
                    break;
                }
            }
        }
        catch (BillingException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.IsUnavailable ? StatusCodes.Status503ServiceUnavailable : (int)ex.StatusCode!);
        }

        var fileName = $"activity-{first:yyyy-MM-dd}-to-{last:yyyy-MM-dd}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(ToCsv(rows.Take(MaxRows))), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>RFC 4180 CSV with a header row; text that a spreadsheet would run as a formula is defused.</summary>
    public static string ToCsv(IEnumerable<GenerationInfo> generations)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Header).Append("\r\n");
        foreach (var generation in generations)
        {
            string[] fields =
            [
                generation.Id,
                generation.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                generation.Model,
                generation.ProviderName,
                generation.KeyName ?? "",
                generation.KeyLabel ?? "",
                Number(generation.TokensPrompt),
                Number(generation.TokensCompletion),
                Number(generation.TokensReasoning),
                Number(generation.TokensCached),
                generation.TotalCost.ToString(CultureInfo.InvariantCulture),
                Number(generation.Latency),
                generation.TimeToFirstToken is { } ttft ? Number(ttft) : "",
                generation.FinishReason ?? "",
                generation.Streamed ? "true" : "false",
                generation.Cancelled ? "true" : "false",
            ];
            csv.AppendJoin(',', fields.Select(Escape)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(field, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            field = "'" + field;
        }
        return field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    private static bool TryParseDay(string? value, DateOnly fallback, out DateOnly day)
    {
        if (string.IsNullOrEmpty(value))
        {
            day = fallback;
            return true;
        }
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
