using System.ComponentModel.DataAnnotations;

namespace Emulators.Mail;

/// <summary>
/// The development mail sink, bound from "Emulator:Mail": the SMTP port it listens on (the AppHost gives it one
/// as <c>Emulator__Mail__SmtpPort</c>; 0 = a free port chosen at start, shown on <c>/mail</c>), how large one
/// message may be and how many are kept.
/// </summary>
public sealed class MailSinkOptions
{
    public const string SectionName = "Emulator:Mail";

    [Range(0, 65535)]
    public int SmtpPort { get; set; }

    /// <summary>Advertised as SIZE; a larger message is read to its end and refused with 552.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Messages kept in memory; the oldest go first.</summary>
    [Range(1, 10_000)]
    public int MaxMessages { get; set; } = 500;

    /// <summary>Clients served at once; more are turned away with 421.</summary>
    [Range(1, 1000)]
    public int MaxConnections { get; set; } = 32;

    /// <summary>A client silent for this long is disconnected with 421.</summary>
    [Range(1, 3600)]
    public int IdleTimeoutSeconds { get; set; } = 120;
}
