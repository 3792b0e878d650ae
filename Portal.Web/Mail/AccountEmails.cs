using System.Net;

namespace Portal.Web.Mail;

/// <summary>One message: subject, plain text and HTML (both sent, as multipart/alternative).</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>
/// The account mails. Identity's pages hand over links already HTML-encoded (they were written for an HTML
/// body), so the text part decodes them once and the HTML part uses them as they are.
/// </summary>
public static class AccountEmails
{
    public static EmailContent ConfirmAccount(string htmlEncodedLink) => Link(
        "Confirm your email",
        "Welcome to OpenRouterClone. Please confirm your account by opening this link:",
        "Confirm your account",
        htmlEncodedLink,
        "If you did not sign up, you can ignore this message.");

    public static EmailContent ResetPassword(string htmlEncodedLink) => Link(
        "Reset your password",
        "Someone (hopefully you) asked to reset your OpenRouterClone password. Choose a new one here:",
        "Reset your password",
        htmlEncodedLink,
        "If you did not ask for this, you can ignore this message: your password stays as it is.");

    public static EmailContent ResetPasswordCode(string resetCode) => new(
        "Reset your password",
        $"Your OpenRouterClone password reset code is: {resetCode}",
        $"<p>Your OpenRouterClone password reset code is: <strong>{WebUtility.HtmlEncode(resetCode)}</strong></p>");

    private static EmailContent Link(string subject, string intro, string action, string htmlEncodedLink, string footer)
    {
        var link = WebUtility.HtmlDecode(htmlEncodedLink);
        // Re-encoded here, so a link that was not encoded by the caller cannot break out of the attribute.
        var attribute = WebUtility.HtmlEncode(link);
        return new EmailContent(
            subject,
            $"{intro}\r\n\r\n{link}\r\n\r\n{footer}\r\n",
            $"<p>{WebUtility.HtmlEncode(intro)}</p><p><a href=\"{attribute}\">{WebUtility.HtmlEncode(action)}</a></p><p>{WebUtility.HtmlEncode(footer)}</p>");
    }
}
