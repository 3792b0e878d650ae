using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Web.Data;

namespace Portal.Web.Mail;

/// <summary>
/// Identity's account mails over SMTP with System.Net.Mail (in the BCL; enough for submitting to one relay or to
/// the development sink). A client per message: SmtpClient is not safe for concurrent sends.
/// </summary>
public sealed partial class SmtpEmailSender(IOptions<MailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        SendAsync(email, AccountEmails.ConfirmAccount(confirmationLink));

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        SendAsync(email, AccountEmails.ResetPassword(resetLink));

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        SendAsync(email, AccountEmails.ResetPasswordCode(resetCode));

    public async Task SendAsync(string to, EmailContent content, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var message = CreateMessage(settings, to, content);
        using var client = new SmtpClient(settings.Host, settings.Port)
        {
            EnableSsl = settings.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = settings.TimeoutSeconds * 1000,
        };
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            client.Credentials = new NetworkCredential(settings.UserName, settings.Password);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            await client.SendMailAsync(message, timeout.Token);
            LogSent(logger, content.Subject, settings.Host!, settings.Port);
        }
        catch (Exception exception) when (exception is SmtpException or OperationCanceledException)
        {
            // The page that asked fails visibly; the user can ask again (resend confirmation, forgot password).
            LogFailed(logger, exception, content.Subject, settings.Host!, settings.Port);
            throw;
        }
    }

    public static MailMessage CreateMessage(MailOptions settings, string to, EmailContent content)
    {
        var message = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = content.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = content.Text,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.To.Add(new MailAddress(to));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(content.Html, Encoding.UTF8, MediaTypeNames.Text.Html));
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent \"{Subject}\" through {Host}:{Port}")]
    private static partial void LogSent(ILogger logger, string subject, string host, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send \"{Subject}\" through {Host}:{Port}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string subject, string host, int port);
}
