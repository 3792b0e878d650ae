using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Emulators.Mail;

/// <summary>
/// One SMTP conversation (RFC 5321), just enough for a development sink: EHLO/HELO, MAIL FROM, RCPT TO, DATA,
/// RSET, NOOP, QUIT (plus VRFY and HELP answered politely). No authentication and no relaying: every accepted
/// message lands in the <see cref="MailStore"/>. Lines are read as Latin-1 so the bytes of 8-bit bodies survive.
/// </summary>
public sealed class SmtpSession(Stream stream, MailStore store, MailSinkOptions options, ILogger logger)
{
    public const string ServerName = "mail-sink.localhost";

    /// <summary>Longer than RFC 5321's 1000 octets, for lenient clients, but bounded.</summary>
    public const int MaxLineBytes = 64 * 1024;

    public const int MaxRecipients = 100;

    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);
    private string? _greetedAs;
    private string? _mailFrom;
    private readonly List<string> _recipients = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReplyAsync($"220 {ServerName} ESMTP OpenRouterClone mail sink", cancellationToken);
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken);
                if (line is null || !await HandleAsync(line, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (LineTooLongException)
        {
            await TryReplyAsync("500 5.5.2 Line too long", cancellationToken);
        }
        catch (TimeoutException)
        {
            await TryReplyAsync($"421 4.4.2 {ServerName} Idle for too long, closing", cancellationToken);
        }
        catch (IOException)
        {
            // The client went away.
        }
        finally
        {
            await _reader.CompleteAsync();
        }
    }

    /// <returns>False when the conversation is over.</returns>
    private async Task<bool> HandleAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (verb)
        {
            case "EHLO":
                _greetedAs = argument;
                ResetTransaction();
                await ReplyAsync(
                    $"250-{ServerName} Hello {argument}\r\n250-SIZE {options.MaxMessageBytes.ToString(CultureInfo.InvariantCulture)}\r\n250-8BITMIME\r\n250 HELP",
                    cancellationToken);
                return true;
            case "HELO":
                _greetedAs = argument;
                ResetTransaction();
                await ReplyAsync($"250 {ServerName} Hello {argument}", cancellationToken);
                return true;
            case "MAIL":
                await MailFromAsync(argument, cancellationToken);
                return true;
            case "RCPT":
                await RecipientAsync(argument, cancellationToken);
                return true;
            case "DATA":
                await DataAsync(cancellationToken);
                return true;
            case "RSET":
                ResetTransaction();
                await ReplyAsync("250 2.0.0 OK", cancellationToken);
                return true;
            case "NOOP":
                await ReplyAsync("250 2.0.0 OK", cancellationToken);
                return true;
            case "VRFY":
                await ReplyAsync("252 2.1.5 Cannot verify the user, but will accept the message", cancellationToken);
                return true;
            case "HELP":
                await ReplyAsync("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT", cancellationToken);
                return true;
            case "QUIT":
                await ReplyAsync($"221 2.0.0 {ServerName} Bye", cancellationToken);
                return false;
            default:
                await ReplyAsync("502 5.5.1 Command not implemented", cancellationToken);
                return true;
        }
    }

    private async Task MailFromAsync(string argument, CancellationToken cancellationToken)
    {
        if (_greetedAs is null)
        {
            await ReplyAsync("503 5.5.1 Say EHLO or HELO first", cancellationToken);
            return;
        }
        if (_mailFrom is not null)
        {
            await ReplyAsync("503 5.5.1 Sender already given", cancellationToken);
            return;
        }
        if (!TryParsePath(argument, "FROM:", out var address, out var parameters))
        {
            await ReplyAsync("501 5.5.4 Syntax: MAIL FROM:<address>", cancellationToken);
            return;
        }
        // A client may announce the size up front (RFC 1870): refuse before it sends the data.
        var size = parameters.FirstOrDefault(parameter => parameter.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase));
        if (size is not null && long.TryParse(size.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var announced)
            && announced > options.MaxMessageBytes)
        {
            await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", cancellationToken);
            return;
        }
        _mailFrom = address;
        await ReplyAsync("250 2.1.0 OK", cancellationToken);
    }

    private async Task RecipientAsync(string argument, CancellationToken cancellationToken)
    {
        if (_mailFrom is null)
        {
            await ReplyAsync("503 5.5.1 Need MAIL before RCPT", cancellationToken);
            return;
        }
        if (!TryParsePath(argument, "TO:", out var address, out _) || address.Length == 0)
        {
            await ReplyAsync("501 5.5.4 Syntax: RCPT TO:<address>", cancellationToken);
            return;
        }
        if (_recipients.Count >= MaxRecipients)
        {
            await ReplyAsync("452 4.5.3 Too many recipients", cancellationToken);
            return;
        }
        _recipients.Add(address);
        await ReplyAsync("250 2.1.5 OK", cancellationToken);
    }

    private async Task DataAsync(CancellationToken cancellationToken)
    {
        if (_mailFrom is null || _recipients.Count == 0)
        {
            await ReplyAsync(_mailFrom is null ? "503 5.5.1 Need MAIL command" : "554 5.5.1 No valid recipients", cancellationToken);
            return;
        }
        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", cancellationToken);

        var message = new StringBuilder();
        var tooLarge = false;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken) ?? throw new IOException("The client closed the connection during DATA");
            if (line == ".")
            {
                break;
            }
            // Dot-stuffing: a line starting with a dot was sent with one more.
            if (line.StartsWith('.'))
            {
                line = line[1..];
            }
            // Past the cap the rest is read and dropped, so the client gets a clean 552 instead of a broken pipe.
            if (!tooLarge && message.Length + line.Length + 2 > options.MaxMessageBytes)
            {
                tooLarge = true;
                message.Clear();
            }
            if (!tooLarge)
            {
                message.Append(line).Append("\r\n");
            }
        }

        if (tooLarge)
        {
            ResetTransaction();
            await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", cancellationToken);
            return;
        }
        var mail = store.Add(_mailFrom, [.. _recipients], message.ToString());
        LogReceived(mail);
        ResetTransaction();
        await ReplyAsync($"250 2.0.0 OK: queued as {mail.Id}", cancellationToken);
    }

    private void LogReceived(ReceivedMail mail) =>
        logger.LogInformation("Mail sink received message {Id} for {Recipients}: {Subject}", mail.Id, string.Join(", ", mail.To), mail.Subject);

    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
    }

    /// <summary><c>FROM:&lt;a@b&gt; SIZE=10</c> → the address inside the brackets (may be empty for a bounce) and the parameters.</summary>
    public static bool TryParsePath(string argument, string keyword, out string address, out string[] parameters)
    {
        address = "";
        parameters = [];
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var rest = argument[keyword.Length..].TrimStart();
        if (!rest.StartsWith('<'))
        {
            return false;
        }
        var close = rest.IndexOf('>', StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }
        address = rest[1..close].Trim();
        parameters = rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException();
            }
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is not null)
            {
                var lineBytes = buffer.Slice(0, newline.Value);
                if (lineBytes.Length > MaxLineBytes)
                {
                    throw new LineTooLongException();
                }
                var line = Encoding.Latin1.GetString(lineBytes);
                _reader.AdvanceTo(buffer.GetPosition(1, newline.Value));
                return line.EndsWith('\r') ? line[..^1] : line;
            }
            if (buffer.Length > MaxLineBytes)
            {
                throw new LineTooLongException();
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task ReplyAsync(string reply, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async Task TryReplyAsync(string reply, CancellationToken cancellationToken)
    {
        try
        {
            await ReplyAsync(reply, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private sealed class LineTooLongException : Exception;
}
