using Billing.Service.Keys;

namespace UnitTests.Billing;

public class KeyRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_named_key_with_a_monthly_limit_is_valid() =>
        Assert.Null(KeyRequestValidator.Validate(new CreateKeyRequest("prod", 25, "monthly", true, Now.AddDays(30)), Now));

    [Theory]
    [InlineData(null, null, null, "'name'")]
    [InlineData("  ", null, null, "'name'")]
    [InlineData("ok", -1.0, null, "'limit'")]
    [InlineData("ok", 2_000_000.0, null, "'limit'")]
    [InlineData("ok", null, "yearly", "'limit_reset'")]
    public void Invalid_creations_name_the_field(string? name, double? limit, string? reset, string expected)
    {
        var problem = KeyRequestValidator.Validate(new CreateKeyRequest(name, (decimal?)limit, reset, null, null), Now);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_past_expiry_is_refused() =>
        Assert.Contains("'expires_at'", KeyRequestValidator.Validate(new CreateKeyRequest("ok", null, null, null, Now), Now));

    [Fact]
    public void Updates_may_leave_every_field_out_but_not_blank_the_name()
    {
        Assert.Null(KeyRequestValidator.Validate(new UpdateKeyRequest(null, true, null, null, null)));
        Assert.Contains("'name'", KeyRequestValidator.Validate(new UpdateKeyRequest("", null, null, null, null)));
    }
}
