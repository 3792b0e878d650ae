using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Net.Sockets;
using System.Text;
using Emulators.Mail;

namespace UnitTests.Emulators;

/// <summary>
/// The development mail sink over a real socket: System.Net.Mail's SmtpClient as the portal sends, and a raw
/// SMTP conversation for the protocol's rules (order of commands, RSET, dot-stuffing, the size cap).
/// </summary>
public sealed class SmtpSinkTests : IAsyncLifetime
{
    private readonly MailSinkServer _server = new();

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SmtpClient_delivers_a_multipart_message_that_the_JSON_api_and_the_page_show_decoded()
    {
        var to = $"ada-{Guid.NewGuid():N}@example.com";
        using (var message = new MailMessage
        {
            From = new MailAddress("no-reply@portal.localhost", "Portal"),
            Subject = "Confirm your email — ünïcode",
            SubjectEncoding = Encoding.UTF8,
            Body = "Open https://gateway.example/Account/ConfirmEmail?userId=1&code=abc",
            BodyEncoding = Encoding.UTF8,
        })
        {
            message.To.Add(to);
            message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(
                "<p>Grüße <a href=\"https://gateway.example/x?a=1&amp;b=2\">confirm</a></p>", Encoding.UTF8, MediaTypeNames.Text.Html));
            using var client = new SmtpClient("127.0.0.1", _server.SmtpPort);
            await client.SendMailAsync(message, Ct);
        }

        var mail = Assert.Single(await _server.MessagesAsync(to));
        Assert.Equal([to], mail.To);
        Assert.Contains("no-reply@portal.localhost", mail.From, StringComparison.Ordinal);
        Assert.Equal("Confirm your email — ünïcode", mail.Subject);
        Assert.Equal("Open https://gateway.example/Account/ConfirmEmail?userId=1&code=abc", mail.Text?.TrimEnd());
        Assert.Equal("<p>Grüße <a href=\"https://gateway.example/x?a=1&amp;b=2\">confirm</a></p>", mail.Html?.TrimEnd());
        Assert.True(DateTimeOffset.UtcNow - mail.Received < TimeSpan.FromMinutes(1));

        // The operator's page lists it, escaped (the HTML body only inside a sandboxed frame).
        var page = await _server.Client.GetStringAsync("/mail", Ct);
        Assert.Contains(WebUtility.HtmlEncode("Confirm your email — ünïcode"), page, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(to), page, StringComparison.Ordinal);
        Assert.Contains("<iframe sandbox", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<p>Grüße", page, StringComparison.Ordinal);
        Assert.Contains($">{_server.SmtpPort}<", page, StringComparison.Ordinal);

        // One message by id, and the other recipients' filter leaves it out.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await _server.Client.GetAsync($"/mail/messages/{mail.Id}", Ct)).StatusCode);
        Assert.Empty(await _server.MessagesAsync("someone-else@example.com"));
    }

    [Fact]
    public async Task Commands_out_of_order_are_refused_and_RSET_NOOP_and_QUIT_behave()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_server.SmtpPort);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        Assert.StartsWith("503 ", await smtp.SendAsync("MAIL FROM:<a@example.com>"));
        Assert.StartsWith("502 ", await smtp.SendAsync("AUTH PLAIN Zm9v"));

        var ehlo = await smtp.SendAsync("EHLO tests");
        Assert.StartsWith("250", ehlo);
        Assert.Contains($"SIZE {MailSinkServer.MaxMessageBytes}", ehlo, StringComparison.Ordinal);

        Assert.StartsWith("503 ", await smtp.SendAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("503 ", await smtp.SendAsync("DATA"));
        Assert.StartsWith("501 ", await smtp.SendAsync("MAIL FROM:a@example.com"));
        Assert.StartsWith("250 ", await smtp.SendAsync("MAIL FROM:<a@example.com>"));
        Assert.StartsWith("503 ", await smtp.SendAsync("MAIL FROM:<again@example.com>"));
        Assert.StartsWith("554 ", await smtp.SendAsync("DATA"));
        Assert.StartsWith("250 ", await smtp.SendAsync("RCPT TO:<rset@example.com>"));
        Assert.StartsWith("250 ", await smtp.SendAsync("NOOP"));

        // RSET forgets the sender and the recipients: DATA now needs MAIL again, and nothing was stored.
        Assert.StartsWith("250 ", await smtp.SendAsync("RSET"));
        Assert.StartsWith("503 ", await smtp.SendAsync("DATA"));
        Assert.Empty(await _server.MessagesAsync("rset@example.com"));

        Assert.StartsWith("221 ", await smtp.SendAsync("QUIT"));
        Assert.Null(await smtp.ReadLineAsync());
    }

    [Fact]
    public async Task A_raw_transaction_is_stored_with_dot_stuffing_undone_and_several_recipients()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_server.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.SendAsync("HELO tests");
        Assert.StartsWith("250 ", await smtp.SendAsync("MAIL FROM:<sender@example.com>"));
        Assert.StartsWith("250 ", await smtp.SendAsync("RCPT TO:<one@example.com>"));
        Assert.StartsWith("250 ", await smtp.SendAsync("RCPT TO:<two@example.com>"));
        Assert.StartsWith("354 ", await smtp.SendAsync("DATA"));
        var queued = await smtp.SendAsync("Subject: =?utf-8?B?SGVsbG8=?= =?utf-8?Q?_w=C3=B6rld?=\r\n\r\nfirst line\r\n..leading dot\r\n.");
        Assert.StartsWith("250 ", queued);

        var mail = Assert.Single(await _server.MessagesAsync("two@example.com"));
        Assert.Equal(["one@example.com", "two@example.com"], mail.To);
        Assert.Equal("sender@example.com", mail.From);
        Assert.Equal("Hello wörld", mail.Subject);
        Assert.Equal("first line\r\n.leading dot\r\n", mail.Text);
    }

    [Fact]
    public async Task Messages_over_the_size_cap_are_refused_and_the_session_goes_on()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_server.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.SendAsync("EHLO tests");
        // Announced too large: refused before any data.
        Assert.StartsWith("552 ", await smtp.SendAsync($"MAIL FROM:<big@example.com> SIZE={MailSinkServer.MaxMessageBytes + 1}"));

        Assert.StartsWith("250 ", await smtp.SendAsync("MAIL FROM:<big@example.com>"));
        Assert.StartsWith("250 ", await smtp.SendAsync("RCPT TO:<big@example.com>"));
        Assert.StartsWith("354 ", await smtp.SendAsync("DATA"));
        var line = new string('x', 998);
        var body = string.Join("\r\n", Enumerable.Repeat(line, MailSinkServer.MaxMessageBytes / 1000 + 2));
        Assert.StartsWith("552 ", await smtp.SendAsync($"Subject: big\r\n\r\n{body}\r\n."));
        Assert.Empty(await _server.MessagesAsync("big@example.com"));

        Assert.StartsWith("250 ", await smtp.SendAsync("NOOP"));
        Assert.StartsWith("250 ", await smtp.SendAsync("MAIL FROM:<small@example.com>"));
    }

    [Fact]
    public async Task The_store_keeps_only_the_newest_messages_newest_first()
    {
        var to = $"many-{Guid.NewGuid():N}@example.com";
        using var client = new SmtpClient("127.0.0.1", _server.SmtpPort);
        for (var index = 1; index <= MailSinkServer.MaxMessages + 2; index++)
        {
            await client.SendMailAsync(new MailMessage("a@example.com", to, $"message {index}", "body"), Ct);
        }

        var subjects = (await _server.MessagesAsync(to)).Select(mail => mail.Subject).ToList();
        Assert.Equal(["message 5", "message 4", "message 3"], subjects);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _server.Client.DeleteAsync("/mail/messages", Ct)).StatusCode);
        Assert.Empty(await _server.MessagesAsync());
    }

    /// <summary>A line-level SMTP client: sends a command and reads the whole (possibly multi-line) reply.</summary>
    private sealed class RawSmtp : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly StreamReader _reader;
        private readonly Stream _stream;

        private RawSmtp(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            _reader = new StreamReader(_stream, Encoding.Latin1);
        }

        public static async Task<RawSmtp> ConnectAsync(int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, Ct);
            return new RawSmtp(client);
        }

        public async Task<string> SendAsync(string command)
        {
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(command + "\r\n"), Ct);
            return await ReadReplyAsync();
        }

        public async Task<string> ReadReplyAsync()
        {
            var reply = new StringBuilder();
            while (await ReadLineAsync() is { } line)
            {
                reply.AppendLine(line);
                if (line.Length < 4 || line[3] != '-')
                {
                    break;
                }
            }
            return reply.ToString();
        }

        public Task<string?> ReadLineAsync() =>
            _reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
