using Billing.Service.Payments;

namespace UnitTests.Billing;

public class TopUpPricingTests
{
    private static readonly StripeOptions Defaults = new();

    [Theory]
    // 5.5% of $10 is $0.55: the $0.80 minimum applies.
    [InlineData(1000, 80)]
    [InlineData(500, 80)]
    // $14.54 -> 79.97 cents -> 80; $14.56 -> 80.08 -> 80 (rounded); $14.60 -> 80.3 -> 80.
    [InlineData(1454, 80)]
    [InlineData(1456, 80)]
    // $15 -> 82.5 cents: half rounds up.
    [InlineData(1500, 83)]
    [InlineData(2000, 110)]
    [InlineData(10_000, 550)]
    // $123.45 -> 678.975 cents -> 679.
    [InlineData(12_345, 679)]
    [InlineData(1_000_000, 55_000)]
    public void The_fee_is_the_percentage_rounded_half_up_to_a_cent_but_never_below_the_minimum(long amountCents, long expectedFeeCents)
        => Assert.Equal(expectedFeeCents, TopUpPricing.Quote(amountCents, Defaults).FeeCents);

    [Fact]
    public void The_total_is_amount_plus_fee_in_cents_and_in_exact_nanos()
    {
        var quote = TopUpPricing.Quote(2000, Defaults);

        Assert.Equal(2110, quote.TotalCents);
        Assert.Equal(20_000_000_000, quote.CreditsNanos);
        Assert.Equal(1_100_000_000, quote.FeeNanos);
        Assert.Equal(20.00m, quote.AmountUsd);
        Assert.Equal(1.10m, quote.FeeUsd);
        Assert.Equal(21.10m, quote.TotalUsd);
    }

    [Fact]
    public void Fee_settings_are_configurable()
    {
        Assert.Equal(300, TopUpPricing.FeeCents(10_000, 3m, 0));
        Assert.Equal(0, TopUpPricing.FeeCents(10_000, 0m, 0));
        Assert.Equal(150, TopUpPricing.FeeCents(1000, 0m, 150));
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("10000", true)]
    [InlineData("12.34", true)]
    [InlineData("4.99", false)]
    [InlineData("10000.01", false)]
    [InlineData("10.001", false)]
    [InlineData("-10", false)]
    public void Amounts_must_be_whole_cents_within_the_limits(string amountUsd, bool valid)
    {
        var problem = TopUpPricing.Validate(decimal.Parse(amountUsd, System.Globalization.CultureInfo.InvariantCulture), Defaults, out var cents);

        Assert.Equal(valid, problem is null);
        if (valid)
        {
            Assert.Equal(decimal.Parse(amountUsd, System.Globalization.CultureInfo.InvariantCulture) * 100, cents);
        }
    }

    [Fact]
    public void A_missing_amount_is_refused() => Assert.NotNull(TopUpPricing.Validate(null, Defaults, out _));

    [Fact]
    public void Default_settings_are_valid_once_the_secrets_are_set()
    {
        var options = new StripeOptions { SecretKey = "sk_test_x", WebhookSecret = "whsec_x" };

        Assert.True(new StripeOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        var options = new StripeOptions
        {
            SecretKey = "pk_test_publishable",
            WebhookSecret = "whsec_x",
            ApiBase = "emulators/stripe",
            WebhookTolerance = TimeSpan.FromDays(300),
            MinimumTopUpUsd = 20m,
            MaximumTopUpUsd = 10m,
            MinimumFeeUsd = 0.805m,
        };

        var result = new StripeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains("Stripe:SecretKey", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.Contains("Stripe:ApiBase", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.Contains("Stripe:WebhookTolerance", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.Contains("Stripe:MinimumTopUpUsd", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.Contains("Stripe:MinimumFeeUsd", StringComparison.Ordinal));
    }
}
