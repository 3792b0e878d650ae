using Catalog.Service.Providers;

namespace Catalog.Service.Seed;

/// <summary>
/// The catalog a fresh installation starts with: real models with their providers' public list prices
/// (USD per million tokens here, converted to per-token on insert).
/// </summary>
public static class CatalogSeedData
{
    public sealed record ProviderSeed(string Slug, string Name, string BaseUrl, WireFormat WireFormat);

    public sealed record ModelSeed(
        string Id, string Name, string Description, DateOnly Created, int ContextLength, string Tokenizer,
        string[] InputModalities, EndpointSeed[] Endpoints);

    public sealed record EndpointSeed(
        string Provider, string UpstreamModelName, decimal PromptPerMillion, decimal CompletionPerMillion,
        int? MaxCompletionTokens, string[] SupportedParameters, string? Quantization = null, bool IsModerated = false);

    private static readonly string[] OpenAIParameters =
        ["max_tokens", "temperature", "top_p", "stop", "frequency_penalty", "presence_penalty", "seed", "logit_bias",
         "logprobs", "top_logprobs", "response_format", "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] AnthropicParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice", "reasoning", "include_reasoning"];
    private static readonly string[] GeminiParameters =
        ["max_tokens", "temperature", "top_p", "stop", "seed", "response_format", "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] OpenWeightsParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "frequency_penalty", "presence_penalty", "seed",
         "repetition_penalty", "min_p", "response_format", "tools", "tool_choice"];

    public static readonly ProviderSeed[] Providers =
    [
        new("openai", "OpenAI", "https://api.openai.com/v1", WireFormat.OpenAIChat),
        new("anthropic", "Anthropic", "https://api.anthropic.com/v1", WireFormat.AnthropicMessages),
        new("google-ai-studio", "Google AI Studio", "https://generativelanguage.googleapis.com/v1beta", WireFormat.GeminiGenerateContent),
        new("deepseek", "DeepSeek", "https://api.deepseek.com/v1", WireFormat.OpenAIChat),
        new("mistral", "Mistral", "https://api.mistral.ai/v1", WireFormat.OpenAIChat),
        new("together", "Together", "https://api.together.xyz/v1", WireFormat.OpenAIChat),
        new("deepinfra", "DeepInfra", "https://api.deepinfra.com/v1/openai", WireFormat.OpenAIChat),
        new("xai", "xAI", "https://api.x.ai/v1", WireFormat.OpenAIChat),
    ];

    public static readonly ModelSeed[] Models =
    [
        new("openai/gpt-4o", "OpenAI: GPT-4o",
            "GPT-4o is OpenAI's flagship multimodal model: text and image input, text output, with strong reasoning at GPT-4 Turbo quality and faster.",
            new(2024, 5, 13), 128_000, "GPT", ["text", "image"],
            [new("openai", "gpt-4o", 2.50m, 10.00m, 16_384, OpenAIParameters, IsModerated: true)]),
        new("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini",
            "GPT-4o mini is OpenAI's small, affordable multimodal model, cheaper than GPT-3.5 Turbo and smarter.",
            new(2024, 7, 18), 128_000, "GPT", ["text", "image"],
            [new("openai", "gpt-4o-mini", 0.15m, 0.60m, 16_384, OpenAIParameters, IsModerated: true)]),
        new("anthropic/claude-sonnet-4", "Anthropic: Claude Sonnet 4",
            "Claude Sonnet 4 balances capability and speed for coding, agents and everyday reasoning, with extended thinking.",
            new(2025, 5, 22), 200_000, "Claude", ["text", "image"],
            [new("anthropic", "claude-sonnet-4-20250514", 3.00m, 15.00m, 64_000, AnthropicParameters, IsModerated: true)]),
        new("anthropic/claude-3.5-haiku", "Anthropic: Claude 3.5 Haiku",
            "Claude 3.5 Haiku is Anthropic's fastest model, for real-time and high-volume tasks.",
            new(2024, 11, 4), 200_000, "Claude", ["text", "image"],
            [new("anthropic", "claude-3-5-haiku-20241022", 0.80m, 4.00m, 8_192, AnthropicParameters, IsModerated: true)]),
        new("google/gemini-2.0-flash-001", "Google: Gemini 2.0 Flash",
            "Gemini 2.0 Flash offers fast time to first token and a one-million-token context window.",
            new(2025, 2, 5), 1_048_576, "Gemini", ["text", "image"],
            [new("google-ai-studio", "gemini-2.0-flash-001", 0.10m, 0.40m, 8_192, GeminiParameters)]),
        new("deepseek/deepseek-chat", "DeepSeek: DeepSeek V3",
            "DeepSeek-V3 is a mixture-of-experts model with 671B total parameters, strong at code and reasoning.",
            new(2024, 12, 26), 163_840, "DeepSeek", ["text"],
            [
                new("deepseek", "deepseek-chat", 0.27m, 1.10m, 8_192, OpenWeightsParameters),
                new("deepinfra", "deepseek-ai/DeepSeek-V3", 0.38m, 0.89m, 163_840, OpenWeightsParameters, "fp8"),
                new("together", "deepseek-ai/DeepSeek-V3", 1.25m, 1.25m, 12_288, OpenWeightsParameters, "fp8"),
            ]),
        new("meta-llama/llama-3.3-70b-instruct", "Meta: Llama 3.3 70B Instruct",
            "Llama 3.3 70B is a multilingual instruction-tuned model, optimised for dialogue.",
            new(2024, 12, 6), 131_072, "Llama3", ["text"],
            [
                new("deepinfra", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.23m, 0.40m, 16_384, OpenWeightsParameters, "fp8"),
                new("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88m, 0.88m, 16_384, OpenWeightsParameters, "fp8"),
            ]),
        new("mistralai/mistral-small-3.1-24b-instruct", "Mistral: Mistral Small 3.1 24B",
            "Mistral Small 3.1 is a 24B-parameter model with vision and a 128k context window.",
            new(2025, 3, 17), 128_000, "Mistral", ["text", "image"],
            [new("mistral", "mistral-small-2503", 0.10m, 0.30m, null, OpenWeightsParameters)]),
        new("x-ai/grok-3-mini", "xAI: Grok 3 Mini",
            "Grok 3 Mini is a lightweight reasoning model that thinks before responding.",
            new(2025, 4, 9), 131_072, "Grok", ["text"],
            [new("xai", "grok-3-mini", 0.30m, 0.50m, null, OpenAIParameters)]),
    ];
}
