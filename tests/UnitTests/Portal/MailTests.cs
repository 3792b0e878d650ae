using System.ComponentModel.DataAnnotations;
using System.Net;
using Emulators.Mail;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Mail;
using UnitTests.Emulators;

namespace UnitTests.Portal;

/// <summary>The portal's mail settings, the account mails' content, and its SMTP sender delivering to the emulators' sink.</summary>
public sealed class MailTests
{
    private static List<ValidationResult> Validate(MailOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Defaults_are_valid_and_send_nothing_until_a_host_is_set()
    {
        var options = new MailOptions();
        Assert.Empty(Validate(options));
        Assert.False(options.IsConfigured);
        Assert.False(options.EnableSsl);
        Assert.True(new MailOptions { Host = "smtp.example.com" }.IsConfigured);
    }

    [Theory]
    [InlineData("not an address", null, null, 25, "From")]
    [InlineData("OpenRouterClone <no-reply@example.com>", "user", null, 25, "Password")]
    [InlineData("no-reply@example.com", null, null, 0, "Port")]
    [InlineData("no-reply@example.com", null, null, 70000, "Port")]
    public void Invalid_settings_name_the_setting(string from, string? userName, string? password, int port, string member)
    {
        var results = Validate(new MailOptions { Host = "smtp.example.com", From = from, UserName = userName, Password = password, Port = port });
        Assert.Contains(results, result => result.MemberNames.Contains(member));
    }

    [Fact]
    public void Account_mails_carry_the_link_plain_in_the_text_and_encoded_in_the_html()
    {
        const string Link = "https://openrouter.example/Account/ConfirmEmail?userId=42&code=a<b";
        var mail = AccountEmails.ConfirmAccount(WebUtility.HtmlEncode(Link));

        Assert.Equal("Confirm your email", mail.Subject);
        Assert.Contains(Link, mail.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(Link)}\"", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("a<b", mail.Html, StringComparison.Ordinal);
        Assert.Equal("Reset your password", AccountEmails.ResetPassword(WebUtility.HtmlEncode(Link)).Subject);
    }

    [Fact]
    public async Task The_smtp_sender_delivers_confirmation_and_reset_mails_to_the_sink()
    {
        await using var sink = new MailSinkServer();
        await sink.InitializeAsync();
        var options = Options.Create(new MailOptions { Host = "localhost", Port = sink.SmtpPort, From = "Portal <no-reply@portal.localhost>" });
        var sender = new SmtpEmailSender(options, NullLogger<SmtpEmailSender>.Instance);
        var to = $"grace-{Guid.NewGuid():N}@example.com";
        const string Link = "http://localhost:5080/Account/ConfirmEmail?userId=7&code=xyz&returnUrl=%2Fkeys";

        await sender.SendConfirmationLinkAsync(new ApplicationUser(), to, WebUtility.HtmlEncode(Link));
        await sender.SendPasswordResetLinkAsync(new ApplicationUser(), to, WebUtility.HtmlEncode(Link.Replace("ConfirmEmail", "ResetPassword", StringComparison.Ordinal)));

        var messages = await sink.MessagesAsync(to);
        Assert.Equal(["Reset your password", "Confirm your email"], messages.Select(message => message.Subject));
        var confirm = messages[1];
        Assert.Contains("Portal", confirm.From, StringComparison.Ordinal);
        Assert.Contains("<no-reply@portal.localhost>", confirm.From, StringComparison.Ordinal);
        Assert.Contains(Link, confirm.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(Link)}\"", confirm.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_server_that_does_not_answer_fails_the_send()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var sender = new SmtpEmailSender(Options.Create(new MailOptions { Host = "127.0.0.1", Port = port, TimeoutSeconds = 5 }), NullLogger<SmtpEmailSender>.Instance);

        await Assert.ThrowsAsync<System.Net.Mail.SmtpException>(() =>
            sender.SendAsync("x@example.com", AccountEmails.ResetPasswordCode("123456"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Sink_options_default_to_a_free_port_and_a_bounded_store()
    {
        var options = new MailSinkOptions();
        Assert.Equal(0, options.SmtpPort);
        Assert.True(options.MaxMessageBytes >= 1024 * 1024);
        Assert.InRange(options.MaxMessages, 1, 10_000);
        var invalid = new MailSinkOptions { SmtpPort = 70000 };
        Assert.False(Validator.TryValidateObject(invalid, new ValidationContext(invalid), [], validateAllProperties: true));
    }
}
