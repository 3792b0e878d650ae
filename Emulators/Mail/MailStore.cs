using Microsoft.Extensions.Options;

namespace Emulators.Mail;

/// <summary>One message the sink accepted: the envelope (sender, recipients), the decoded headers and bodies.</summary>
public sealed record ReceivedMail(
    string Id,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    DateTimeOffset Received,
    string? Text,
    string? Html,
    int Size);

/// <summary>The received messages, newest first, bounded by <see cref="MailSinkOptions.MaxMessages"/>.</summary>
public sealed class MailStore(IOptions<MailSinkOptions> options, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<ReceivedMail> _messages = new();
    private long _lastId;

    public ReceivedMail Add(string envelopeFrom, IReadOnlyList<string> recipients, string rawMessage)
    {
        var parsed = MimeMessageReader.Read(rawMessage);
        lock (_lock)
        {
            var mail = new ReceivedMail(
                (++_lastId).ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.IsNullOrEmpty(parsed.From) ? envelopeFrom : parsed.From,
                recipients,
                parsed.Subject,
                timeProvider.GetUtcNow(),
                parsed.Text,
                parsed.Html,
                rawMessage.Length);
            _messages.AddFirst(mail);
            while (_messages.Count > options.Value.MaxMessages)
            {
                _messages.RemoveLast();
            }
            return mail;
        }
    }

    /// <summary>Newest first; with <paramref name="to"/>, only messages with that envelope recipient (case-insensitive).</summary>
    public IReadOnlyList<ReceivedMail> List(string? to = null)
    {
        lock (_lock)
        {
            return [.. _messages.Where(mail => to is null || mail.To.Contains(to, StringComparer.OrdinalIgnoreCase))];
        }
    }

    public ReceivedMail? Find(string id)
    {
        lock (_lock)
        {
            return _messages.FirstOrDefault(mail => mail.Id == id);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _messages.Clear();
        }
    }
}
