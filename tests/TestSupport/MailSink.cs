using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TestSupport;

/// <summary>One message as the emulators' mail sink reports it (<c>GET /mail/messages</c>).</summary>
public sealed record SinkMail(string Id, string From, IReadOnlyList<string> To, string Subject, DateTimeOffset Received, string? Text, string? Html);

/// <summary>
/// Reads what the portal mailed from the emulators' development mail sink, as a user would read their inbox:
/// account confirmation and password reset links.
/// </summary>
public static partial class MailSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Every message the sink holds for <paramref name="recipient"/>, newest first.</summary>
    public static async Task<IReadOnlyList<SinkMail>> ListAsync(DistributedApplication app, string recipient, CancellationToken cancellationToken)
    {
        using var emulators = app.CreateHttpClient("emulators", "http");
        emulators.Timeout = TestAppHost.RequestTimeout;
        var messages = await emulators.GetFromJsonAsync<List<SinkMail>>(
            $"/mail/messages?to={Uri.EscapeDataString(recipient)}", Json, cancellationToken);
        return messages ?? [];
    }

    /// <summary>Waits (up to <see cref="DeliveryTimeout"/>) for a message to <paramref name="recipient"/> whose subject contains <paramref name="subject"/>.</summary>
    public static async Task<SinkMail> WaitForAsync(DistributedApplication app, string recipient, string subject, CancellationToken cancellationToken, int skip = 0)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DeliveryTimeout);
        while (true)
        {
            var matching = (await ListAsync(app, recipient, timeout.Token))
                .Where(mail => mail.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (matching.Count > skip)
            {
                return matching[0];
            }
            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No mail \"{subject}\" to {recipient} reached the mail sink within {DeliveryTimeout.TotalSeconds} s");
            }
        }
    }

    /// <summary>The first link in the message's text body that goes to <paramref name="pathContains"/> (e.g. <c>/Account/ConfirmEmail</c>).</summary>
    public static Uri LinkTo(SinkMail mail, string pathContains)
    {
        var link = LinkPattern().Matches(mail.Text ?? "")
            .Select(match => match.Value)
            .FirstOrDefault(url => url.Contains(pathContains, StringComparison.OrdinalIgnoreCase));
        Assert.True(link is not null, $"The mail \"{mail.Subject}\" has no link to {pathContains}: {mail.Text}");
        return new Uri(link);
    }

    /// <summary>The confirmation link mailed to a newly registered <paramref name="email"/>.</summary>
    public static async Task<Uri> WaitForConfirmationLinkAsync(DistributedApplication app, string email, CancellationToken cancellationToken) =>
        LinkTo(await WaitForAsync(app, email, "Confirm your email", cancellationToken), "/Account/ConfirmEmail");

    /// <summary>The newest password reset link mailed to <paramref name="email"/>.</summary>
    public static async Task<Uri> WaitForPasswordResetLinkAsync(DistributedApplication app, string email, CancellationToken cancellationToken) =>
        LinkTo(await WaitForAsync(app, email, "Reset your password", cancellationToken), "/Account/ResetPassword");

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    private static partial Regex LinkPattern();
}
