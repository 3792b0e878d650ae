namespace Portal.Web.Security;

/// <summary>
/// Lockout after repeated wrong passwords (or 2FA codes): five failures lock the account for fifteen minutes,
/// long enough to make guessing useless, short enough that a locked-out owner is not stuck for long.
/// </summary>
public static class AccountSecurity
{
    public const int MaxFailedAccessAttempts = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
}
