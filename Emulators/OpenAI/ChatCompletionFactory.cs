using Emulators.Common;

namespace Emulators.OpenAI;

/// <summary>
/// Builds the emulator's answer to a validated request, as one response or as stream chunks. Pure: the same
/// request and stamp always give the same result, and no HTTP is involved.
/// </summary>
public static class ChatCompletionFactory
{
    public static EchoReply CreateReply(ChatCompletionRequest request)
    {
        var lastUserMessage = Messages(request).LastOrDefault(message => message.Role == "user");
        return EchoReply.For(lastUserMessage?.Content, request.CompletionTokenLimit);
    }

    /// <summary>Prompt tokens count the words of every message's content (see <see cref="TokenCounter"/>).</summary>
    public static ChatCompletionUsage CountUsage(ChatCompletionRequest request, EchoReply reply) => new()
    {
        PromptTokens = Messages(request).Sum(message => TokenCounter.Count(message.Content)),
        CompletionTokens = reply.TokenCount,
    };

    public static ChatCompletionResponse CreateResponse(ChatCompletionRequest request, CompletionStamp stamp)
    {
        var reply = CreateReply(request);
        return new ChatCompletionResponse
        {
            Id = stamp.Id,
            Created = stamp.Created,
            Model = request.Model!,
            Choices =
            [
                new ChatCompletionChoice
                {
                    Index = 0,
                    Message = new AssistantMessage { Content = reply.Text },
                    FinishReason = FinishReason(reply),
                },
            ],
            Usage = CountUsage(request, reply),
            SystemFingerprint = stamp.SystemFingerprint,
        };
    }

    /// <summary>
    /// The chunks OpenAI streams: the role with empty content, one chunk per token, an empty delta with the finish
    /// reason and, when stream_options.include_usage is set, a usage chunk with no choices.
    /// </summary>
    public static IEnumerable<ChatCompletionChunk> CreateChunks(ChatCompletionRequest request, CompletionStamp stamp)
    {
        var reply = CreateReply(request);

        yield return ChoiceChunk(request, stamp, new ChatCompletionDelta { Role = "assistant", Content = "" });

        foreach (var token in reply.Tokens)
        {
            yield return ChoiceChunk(request, stamp, new ChatCompletionDelta { Content = token });
        }

        yield return ChoiceChunk(request, stamp, new ChatCompletionDelta(), FinishReason(reply));

        if (request.StreamOptions?.IncludeUsage == true)
        {
            yield return Chunk(request, stamp, choices: [], CountUsage(request, reply));
        }
    }

    private static string FinishReason(EchoReply reply) => reply.IsTruncated ? "length" : "stop";

    // Validation guarantees messages are present; the fallback only keeps these helpers total.
    private static IEnumerable<ChatMessage> Messages(ChatCompletionRequest request) => request.Messages ?? [];

    private static ChatCompletionChunk ChoiceChunk(
        ChatCompletionRequest request, CompletionStamp stamp, ChatCompletionDelta delta, string? finishReason = null) =>
        Chunk(request, stamp, [new ChatCompletionChunkChoice { Index = 0, Delta = delta, FinishReason = finishReason }]);

    private static ChatCompletionChunk Chunk(
        ChatCompletionRequest request,
        CompletionStamp stamp,
        IReadOnlyList<ChatCompletionChunkChoice> choices,
        ChatCompletionUsage? usage = null) => new()
        {
            Id = stamp.Id,
            Created = stamp.Created,
            Model = request.Model!,
            SystemFingerprint = stamp.SystemFingerprint,
            Choices = choices,
            Usage = usage,
        };
}
