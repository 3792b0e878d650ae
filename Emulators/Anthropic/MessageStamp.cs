using Emulators.Common;

namespace Emulators.Anthropic;

/// <summary>The random identity of one message: its id, the id of the tool use it may make, and its thinking signature.</summary>
public sealed record MessageStamp(string Id, string ToolUseId, string Signature)
{
    /// <summary>Ids shaped like Anthropic's: <c>msg_01</c> and <c>toolu_01</c> followed by 22 letters and digits.</summary>
    public static MessageStamp Create() => new(
        RandomIds.Create("msg_01", 22),
        RandomIds.Create("toolu_01", 22),
        RandomIds.Create("EmulatedSignature", 48));
}
