using System.Net.Http.Json;
using System.Text.Json;
using Emulators.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace UnitTests.Emulators;

/// <summary>The emulator with its SMTP mail sink on a free port, a small size cap and a short message list.</summary>
public sealed class MailSinkServer : EmulatorServer
{
    public const int MaxMessageBytes = 8 * 1024;
    public const int MaxMessages = 3;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Emulator:Mail:SmtpPort"] = "0",
        ["Emulator:Mail:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Emulator:Mail:MaxMessages"] = MaxMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public int SmtpPort => Services.GetRequiredService<SmtpSinkService>().Port;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<List<ReceivedMail>> MessagesAsync(string? to = null) =>
        (await Client.GetFromJsonAsync<List<ReceivedMail>>(
            to is null ? "/mail/messages" : $"/mail/messages?to={Uri.EscapeDataString(to)}", Json, TestContext.Current.CancellationToken))!;
}
