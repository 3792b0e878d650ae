using System.ComponentModel.DataAnnotations;
using System.Net.Mail;

namespace Portal.Web.Mail;

/// <summary>
/// The SMTP server the portal sends account mail through (section "Mail"). The AppHost points it at the emulators'
/// mail sink unless its <c>smtp-host</c> parameter names a real server. Without <see cref="Host"/> no mail is sent
/// and the Identity pages fall back to showing the confirmation link themselves (development only).
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Mail";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>STARTTLS (System.Net.Mail's meaning of EnableSsl). Off only for a local sink.</summary>
    public bool EnableSsl { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>OpenRouterClone &lt;no-reply@example.com&gt;</c>.</summary>
    [Required]
    public string From { get; set; } = "OpenRouterClone <no-reply@openrouterclone.localhost>";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailAddress.TryCreate(From, out _))
        {
            yield return new ValidationResult($"{SectionName}:From must be an e-mail address, optionally with a display name.", [nameof(From)]);
        }
        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult($"{SectionName}:Password is required with {SectionName}:UserName.", [nameof(Password)]);
        }
    }
}
