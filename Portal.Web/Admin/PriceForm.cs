using System.ComponentModel.DataAnnotations;
using Portal.Web.Catalog;

namespace Portal.Web.Admin;

/// <summary>
/// The price editor's fields, in the units administrators think in: token prices per million tokens, request and
/// image prices each. <see cref="ToUpdate"/> turns them into the catalog's USD per token.
/// </summary>
public sealed class PriceForm
{
    private const decimal PerMillion = 1_000_000m;

    [Range(typeof(decimal), "0", "1000000")]
    public decimal PromptPerMillion { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal CompletionPerMillion { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal Request { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal Image { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal CacheReadPerMillion { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal CacheWritePerMillion { get; set; }

    [Range(typeof(decimal), "0", "1000000")]
    public decimal ReasoningPerMillion { get; set; }

    private PriceForm? original;

    public static PriceForm From(AdminPricing pricing)
    {
        var form = Read(pricing);
        form.original = Read(pricing);
        return form;
    }

    private static PriceForm Read(AdminPricing pricing) => new()
    {
        PromptPerMillion = Prices.Parse(pricing.Prompt) * PerMillion,
        CompletionPerMillion = Prices.Parse(pricing.Completion) * PerMillion,
        Request = Prices.Parse(pricing.Request),
        Image = Prices.Parse(pricing.Image),
        CacheReadPerMillion = Prices.Parse(pricing.InputCacheRead) * PerMillion,
        CacheWritePerMillion = Prices.Parse(pricing.InputCacheWrite) * PerMillion,
        ReasoningPerMillion = Prices.Parse(pricing.InternalReasoning) * PerMillion,
    };

    /// <summary>Only the fields the administrator changed (the others null, which the catalog keeps as they are).</summary>
    public PricingUpdate ToUpdate() => new(
        Prompt: Changed(PromptPerMillion, original?.PromptPerMillion) / PerMillion,
        Completion: Changed(CompletionPerMillion, original?.CompletionPerMillion) / PerMillion,
        Request: Changed(Request, original?.Request),
        Image: Changed(Image, original?.Image),
        InputCacheRead: Changed(CacheReadPerMillion, original?.CacheReadPerMillion) / PerMillion,
        InputCacheWrite: Changed(CacheWritePerMillion, original?.CacheWritePerMillion) / PerMillion,
        InternalReasoning: Changed(ReasoningPerMillion, original?.ReasoningPerMillion) / PerMillion);

    private static decimal? Changed(decimal value, decimal? before) => value == before ? null : value;
}
