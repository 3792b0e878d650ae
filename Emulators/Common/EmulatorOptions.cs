using System.ComponentModel.DataAnnotations;

namespace Emulators.Common;

/// <summary>
/// Latency every emulated provider adds to its replies, bound from the "Emulator" configuration section.
/// Both default to 0 so tests run at full speed; benchmarks and demos raise them.
/// </summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Delay before the first token: the first streamed chunk, or the start of a non-streaming reply.</summary>
    [Range(0, 600_000)]
    public int TimeToFirstTokenMs { get; set; }

    /// <summary>Delay between two consecutive tokens of a reply.</summary>
    [Range(0, 60_000)]
    public int InterTokenDelayMs { get; set; }
}
