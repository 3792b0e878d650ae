namespace Billing.Service.Accounts;

/// <summary>
/// The billing account of one portal user. Kept apart from the user so that organisations can own
/// accounts later; credits, keys and usage hang off the account, never off the user.
/// </summary>
public sealed class Account
{
    public Guid Id { get; set; }

    /// <summary>The portal (Identity) user id that owns this account.</summary>
    public required string OwnerUserId { get; set; }
    public required string Email { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
