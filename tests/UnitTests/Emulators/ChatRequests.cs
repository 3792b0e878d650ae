using Emulators.OpenAI;

namespace UnitTests.Emulators;

/// <summary>Builders for the requests the tests send, so each test shows only what it varies.</summary>
internal static class ChatRequests
{
    public const string Model = "gpt-4o-mini";

    public static ChatCompletionRequest FromUser(string text, int? maxTokens = null) => new()
    {
        Model = Model,
        Messages = [new ChatMessage { Role = "user", Content = text }],
        MaxTokens = maxTokens,
    };

    public static ChatCompletionRequest Conversation(params (string Role, string Content)[] messages) => new()
    {
        Model = Model,
        Messages = [.. messages.Select(message => new ChatMessage { Role = message.Role, Content = message.Content })],
    };

    public static CompletionStamp Stamp { get; } = new("chatcmpl-test", 1_700_000_000, CompletionStamp.EmulatorFingerprint);
}
