namespace Emulators.Common;

/// <summary>How long an emulated model takes to produce its tokens.</summary>
public readonly record struct EmulatedLatency(TimeSpan TimeToFirstToken, TimeSpan InterTokenDelay)
{
    /// <summary>
    /// Time to generate a whole reply: the first token, then one delay per further token. A non-streaming reply
    /// waits this long so it takes as long as the same reply streamed.
    /// </summary>
    public TimeSpan TotalFor(int completionTokens) =>
        TimeToFirstToken + InterTokenDelay * Math.Max(0, completionTokens - 1);
}
