using OpenRouterClone.Shared.Credits;

namespace UnitTests.Billing;

public class MoneyTests
{
    [Theory]
    [InlineData("1", 1_000_000_000L)]
    [InlineData("0.000000001", 1L)]
    [InlineData("25.5", 25_500_000_000L)]
    [InlineData("-3.25", -3_250_000_000L)]
    [InlineData("0.0000000005", 0L)]
    [InlineData("0.0000000015", 2L)]
    [InlineData("0.0000000025", 2L)]
    public void Usd_converts_to_whole_nanodollars_rounding_half_to_even(string usd, long expected) =>
        Assert.Equal(expected, Nanos.FromUsd(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Nanodollars_convert_back_to_the_exact_decimal()
    {
        Assert.Equal(25.5m, Nanos.ToUsd(25_500_000_000L));
        Assert.Equal(0.000000001m, Nanos.ToUsd(1));
        Assert.Equal(1234.567891234m, Nanos.ToUsd(Nanos.FromUsd(1234.567891234m)));
    }

    [Fact]
    public void Amounts_beyond_the_range_of_long_throw_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => Nanos.FromUsd(10_000_000_000m));
}
