using Catalog.Service.Providers;

namespace Catalog.Service.Seed;

/// <summary>
/// The catalog a fresh installation starts with: real models at their providers' public list prices (USD per
/// million tokens here, converted to per-token on insert; as published in mid-2025, third-party hosts' prices
/// move often), real context lengths and parameters. <c>:free</c> variants are models of their own, served at
/// price 0 by the providers that offer them free.
/// </summary>
public static class CatalogSeedData
{
    public sealed record ProviderSeed(
        string Slug, string Name, string BaseUrl, WireFormat WireFormat, string Headquarters,
        int? DataRetentionDays, bool TrainsOnData, bool ZeroDataRetention,
        string PrivacyPolicyUrl, string TermsOfServiceUrl, string? StatusPageUrl)
    {
        public string[] Datacenters { get; init; } = [];
    }

    public sealed record ModelSeed(
        string Id, string Name, string Description, DateOnly Created, int ContextLength, string Tokenizer,
        string[] InputModalities, EndpointSeed[] Endpoints)
    {
        /// <summary>OpenRouter's permaslug; the id when not given.</summary>
        public string? CanonicalSlug { get; init; }
        public string[] OutputModalities { get; init; } = ["text"];
        public string? InstructType { get; init; }
        public string? HuggingFaceId { get; init; }
        public string[] Categories { get; init; } = [];

        /// <summary>Endpoints of the model's <c>:free</c> variant (listed as a model of its own), if it has one.</summary>
        public EndpointSeed[]? FreeEndpoints { get; init; }
    }

    public sealed record EndpointSeed(
        string Provider, string UpstreamModelName, decimal PromptPerMillion, decimal CompletionPerMillion,
        int? MaxCompletionTokens, string[] SupportedParameters, string? Quantization = null, bool IsModerated = false)
    {
        /// <summary>The provider's own context window when it differs from the model's.</summary>
        public int? ContextLength { get; init; }
        public decimal? CacheReadPerMillion { get; init; }
        public decimal? CacheWritePerMillion { get; init; }

        /// <summary>USD per input image.</summary>
        public decimal ImagePrice { get; init; }
        public bool ImplicitCaching { get; init; }
    }

    // ---- Supported parameters, by API family -------------------------------------------------------------
    private static readonly string[] OpenAIParameters =
        ["max_tokens", "temperature", "top_p", "stop", "frequency_penalty", "presence_penalty", "seed", "logit_bias",
         "logprobs", "top_logprobs", "response_format", "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] OpenAIReasoningParameters =
        ["max_tokens", "seed", "response_format", "structured_outputs", "tools", "tool_choice", "reasoning", "include_reasoning"];
    private static readonly string[] OpenAIEmbeddingParameters = ["dimensions", "encoding_format"];
    private static readonly string[] EmbeddingParameters = ["encoding_format"];
    private static readonly string[] AnthropicParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice", "reasoning", "include_reasoning"];
    private static readonly string[] AnthropicNonReasoningParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice"];
    private static readonly string[] GeminiParameters =
        ["max_tokens", "temperature", "top_p", "stop", "seed", "response_format", "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] GeminiReasoningParameters = [.. GeminiParameters, "reasoning", "include_reasoning"];
    private static readonly string[] OpenWeightsParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "frequency_penalty", "presence_penalty", "seed",
         "repetition_penalty", "min_p", "response_format", "tools", "tool_choice"];
    private static readonly string[] OpenWeightsReasoningParameters = [.. OpenWeightsParameters, "reasoning", "include_reasoning"];
    private static readonly string[] GroqParameters =
        ["max_tokens", "temperature", "top_p", "stop", "frequency_penalty", "presence_penalty", "seed", "response_format",
         "tools", "tool_choice"];
    private static readonly string[] GroqReasoningParameters = [.. GroqParameters, "reasoning", "include_reasoning"];
    private static readonly string[] DeepSeekParameters =
        ["max_tokens", "temperature", "top_p", "stop", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs",
         "response_format", "tools", "tool_choice"];
    private static readonly string[] DeepSeekReasonerParameters = ["max_tokens", "reasoning", "include_reasoning"];
    private static readonly string[] MistralParameters =
        ["max_tokens", "temperature", "top_p", "stop", "frequency_penalty", "presence_penalty", "seed", "response_format",
         "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] XaiParameters =
        ["max_tokens", "temperature", "top_p", "stop", "seed", "logprobs", "top_logprobs", "response_format",
         "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] XaiReasoningParameters = [.. XaiParameters, "reasoning", "include_reasoning"];
    private static readonly string[] CohereParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "frequency_penalty", "presence_penalty", "seed",
         "response_format", "structured_outputs", "tools", "tool_choice"];
    private static readonly string[] AlibabaParameters =
        ["max_tokens", "temperature", "top_p", "stop", "presence_penalty", "seed", "response_format", "tools", "tool_choice"];
    private static readonly string[] AlibabaReasoningParameters = [.. AlibabaParameters, "reasoning", "include_reasoning"];

    /// <summary>Free community endpoints: sampling only, no tools or structured output.</summary>
    private static readonly string[] FreeParameters =
        ["max_tokens", "temperature", "top_p", "top_k", "stop", "frequency_penalty", "presence_penalty", "seed",
         "repetition_penalty", "min_p"];
    private static readonly string[] FreeReasoningParameters = [.. FreeParameters, "reasoning", "include_reasoning"];

    private static readonly string[] TextImage = ["text", "image"];
    private static readonly string[] TextImageFile = ["text", "image", "file"];
    private static readonly string[] GeminiInputs = ["text", "image", "file", "audio"];
    private static readonly string[] TextOnly = ["text"];
    private static readonly string[] Embeddings = ["embeddings"];

    public static readonly ProviderSeed[] Providers =
    [
        new("openai", "OpenAI", "https://api.openai.com/v1", WireFormat.OpenAIChat, "US", 30, false, false,
            "https://openai.com/policies/privacy-policy/", "https://openai.com/policies/row-terms-of-use/", "https://status.openai.com/"),
        new("anthropic", "Anthropic", "https://api.anthropic.com/v1", WireFormat.AnthropicMessages, "US", 30, false, false,
            "https://www.anthropic.com/legal/privacy", "https://www.anthropic.com/legal/commercial-terms", "https://status.anthropic.com/"),
        new("google-ai-studio", "Google AI Studio", "https://generativelanguage.googleapis.com/v1beta", WireFormat.GeminiGenerateContent,
            "US", 55, false, false,
            "https://cloud.google.com/terms/cloud-privacy-notice", "https://ai.google.dev/gemini-api/terms", "https://aistudio.google.com/status"),
        new("deepseek", "DeepSeek", "https://api.deepseek.com/v1", WireFormat.OpenAIChat, "CN", null, true, false,
            "https://cdn.deepseek.com/policies/en-US/deepseek-privacy-policy.html",
            "https://cdn.deepseek.com/policies/en-US/deepseek-open-platform-terms-of-service.html", "https://status.deepseek.com/"),
        new("mistral", "Mistral", "https://api.mistral.ai/v1", WireFormat.OpenAIChat, "FR", 30, false, false,
            "https://mistral.ai/terms#privacy-policy", "https://mistral.ai/terms#terms-of-service", "https://status.mistral.ai/")
        { Datacenters = ["FR", "SE"] },
        new("together", "Together", "https://api.together.xyz/v1", WireFormat.OpenAIChat, "US", 0, false, true,
            "https://www.together.ai/privacy", "https://www.together.ai/terms-of-service", "https://status.together.ai/")
        { Datacenters = ["US"] },
        new("deepinfra", "DeepInfra", "https://api.deepinfra.com/v1/openai", WireFormat.OpenAIChat, "US", 0, false, true,
            "https://deepinfra.com/privacy", "https://deepinfra.com/terms", "https://status.deepinfra.com/")
        { Datacenters = ["US"] },
        new("xai", "xAI", "https://api.x.ai/v1", WireFormat.OpenAIChat, "US", 30, false, false,
            "https://x.ai/legal/privacy-policy", "https://x.ai/legal/terms-of-service-enterprise", "https://status.x.ai/"),
        new("fireworks", "Fireworks", "https://api.fireworks.ai/inference/v1", WireFormat.OpenAIChat, "US", 0, false, true,
            "https://fireworks.ai/privacy-policy", "https://fireworks.ai/terms-of-service", "https://status.fireworks.ai/")
        { Datacenters = ["US"] },
        new("groq", "Groq", "https://api.groq.com/openai/v1", WireFormat.OpenAIChat, "US", 0, false, true,
            "https://groq.com/privacy-policy/", "https://groq.com/terms-of-use/", "https://groqstatus.com/")
        { Datacenters = ["US", "CA", "FI", "SA"] },
        new("cohere", "Cohere", "https://api.cohere.ai/compatibility/v1", WireFormat.OpenAIChat, "CA", 30, false, false,
            "https://cohere.com/privacy", "https://cohere.com/terms-of-use", "https://status.cohere.com/"),
        new("alibaba", "Alibaba Cloud Model Studio", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", WireFormat.OpenAIChat,
            "CN", null, false, false,
            "https://www.alibabacloud.com/help/en/legal/latest/alibaba-cloud-international-website-privacy-policy",
            "https://www.alibabacloud.com/help/en/legal/latest/alibaba-cloud-international-website-product-terms-of-service-v-3-8-0",
            null)
        { Datacenters = ["SG"] },
        // Serves open-weights models free of charge; prompts may be kept and used, as on OpenRouter's free endpoints.
        new("chutes", "Chutes", "https://llm.chutes.ai/v1", WireFormat.OpenAIChat, "US", null, true, false,
            "https://chutes.ai/privacy", "https://chutes.ai/terms", null),
    ];

    private static readonly ModelSeed[] BaseModels =
    [
        // ---- OpenAI ------------------------------------------------------------------------------------------
        new("openai/gpt-4o", "OpenAI: GPT-4o",
            "GPT-4o is OpenAI's flagship multimodal model: text and image input, text output, with strong reasoning at GPT-4 Turbo quality and faster.",
            new(2024, 5, 13), 128_000, "GPT", TextImage,
            [new("openai", "gpt-4o", 2.50m, 10.00m, 16_384, OpenAIParameters, IsModerated: true)
                { CacheReadPerMillion = 1.25m, ImagePrice = 0.003613m, ImplicitCaching = true }])
        { Categories = ["translation", "technology"] },
        new("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini",
            "GPT-4o mini is OpenAI's small, affordable multimodal model, cheaper than GPT-3.5 Turbo and smarter.",
            new(2024, 7, 18), 128_000, "GPT", TextImage,
            [new("openai", "gpt-4o-mini", 0.15m, 0.60m, 16_384, OpenAIParameters, IsModerated: true)
                { CacheReadPerMillion = 0.075m, ImagePrice = 0.007225m, ImplicitCaching = true }])
        { Categories = ["marketing", "trivia"] },
        new("openai/gpt-4.1", "OpenAI: GPT-4.1",
            "GPT-4.1 is OpenAI's flagship for long-context work: a one-million-token window, strong coding and precise instruction following.",
            new(2025, 4, 14), 1_047_576, "GPT", TextImageFile,
            [new("openai", "gpt-4.1", 2.00m, 8.00m, 32_768, OpenAIParameters, IsModerated: true)
                { CacheReadPerMillion = 0.50m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/gpt-4.1-2025-04-14", Categories = ["programming", "technology"] },
        new("openai/gpt-4.1-mini", "OpenAI: GPT-4.1 Mini",
            "GPT-4.1 mini matches GPT-4o on many benchmarks at a fraction of the latency and cost, with the same long context.",
            new(2025, 4, 14), 1_047_576, "GPT", TextImageFile,
            [new("openai", "gpt-4.1-mini", 0.40m, 1.60m, 32_768, OpenAIParameters, IsModerated: true)
                { CacheReadPerMillion = 0.10m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/gpt-4.1-mini-2025-04-14", Categories = ["programming"] },
        new("openai/gpt-4.1-nano", "OpenAI: GPT-4.1 Nano",
            "GPT-4.1 nano is the fastest and cheapest GPT-4.1 model, for classification, autocompletion and other low-latency tasks.",
            new(2025, 4, 14), 1_047_576, "GPT", TextImageFile,
            [new("openai", "gpt-4.1-nano", 0.10m, 0.40m, 32_768, OpenAIParameters, IsModerated: true)
                { CacheReadPerMillion = 0.025m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/gpt-4.1-nano-2025-04-14", Categories = ["marketing"] },
        new("openai/o3", "OpenAI: o3",
            "o3 is OpenAI's most capable reasoning model for math, science, coding and visual reasoning.",
            new(2025, 4, 16), 200_000, "GPT", TextImageFile,
            [new("openai", "o3", 2.00m, 8.00m, 100_000, OpenAIReasoningParameters, IsModerated: true)
                { CacheReadPerMillion = 0.50m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/o3-2025-04-16", Categories = ["science", "academia", "finance"] },
        new("openai/o3-mini", "OpenAI: o3 Mini",
            "o3-mini is a cost-efficient reasoning model that excels at STEM tasks, with adjustable reasoning effort.",
            new(2025, 1, 31), 200_000, "GPT", ["text", "file"],
            [new("openai", "o3-mini", 1.10m, 4.40m, 100_000, OpenAIReasoningParameters, IsModerated: true)
                { CacheReadPerMillion = 0.55m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/o3-mini-2025-01-31", Categories = ["science", "programming"] },
        new("openai/o4-mini", "OpenAI: o4 Mini",
            "o4-mini is a compact reasoning model with image input, fast and cheap for its strength in math and coding.",
            new(2025, 4, 16), 200_000, "GPT", TextImageFile,
            [new("openai", "o4-mini", 1.10m, 4.40m, 100_000, OpenAIReasoningParameters, IsModerated: true)
                { CacheReadPerMillion = 0.275m, ImplicitCaching = true }])
        { CanonicalSlug = "openai/o4-mini-2025-04-16", Categories = ["science", "programming", "academia"] },
        new("openai/text-embedding-3-small", "OpenAI: Text Embedding 3 Small",
            "text-embedding-3-small is OpenAI's efficient embedding model, 1536 dimensions (shortenable), for search and clustering.",
            new(2024, 1, 25), 8_192, "GPT", TextOnly,
            [new("openai", "text-embedding-3-small", 0.02m, 0m, null, OpenAIEmbeddingParameters)])
        { OutputModalities = Embeddings },
        new("openai/text-embedding-3-large", "OpenAI: Text Embedding 3 Large",
            "text-embedding-3-large is OpenAI's most capable embedding model, 3072 dimensions (shortenable), for English and other languages.",
            new(2024, 1, 25), 8_192, "GPT", TextOnly,
            [new("openai", "text-embedding-3-large", 0.13m, 0m, null, OpenAIEmbeddingParameters)])
        { OutputModalities = Embeddings },

        // ---- Anthropic ---------------------------------------------------------------------------------------
        new("anthropic/claude-opus-4.1", "Anthropic: Claude Opus 4.1",
            "Claude Opus 4.1 improves on Opus 4 in agentic coding, long-horizon tasks and detailed reasoning, with extended thinking.",
            new(2025, 8, 5), 200_000, "Claude", TextImageFile,
            [new("anthropic", "claude-opus-4-1-20250805", 15.00m, 75.00m, 32_000, AnthropicParameters, IsModerated: true)
                { CacheReadPerMillion = 1.50m, CacheWritePerMillion = 18.75m }])
        { CanonicalSlug = "anthropic/claude-4.1-opus-20250805", Categories = ["programming", "legal"] },
        new("anthropic/claude-opus-4", "Anthropic: Claude Opus 4",
            "Claude Opus 4 is Anthropic's most capable model of its generation, for sustained complex coding and agent work.",
            new(2025, 5, 22), 200_000, "Claude", TextImageFile,
            [new("anthropic", "claude-opus-4-20250514", 15.00m, 75.00m, 32_000, AnthropicParameters, IsModerated: true)
                { CacheReadPerMillion = 1.50m, CacheWritePerMillion = 18.75m }])
        { CanonicalSlug = "anthropic/claude-4-opus-20250522", Categories = ["programming", "legal"] },
        new("anthropic/claude-sonnet-4", "Anthropic: Claude Sonnet 4",
            "Claude Sonnet 4 balances capability and speed for coding, agents and everyday reasoning, with extended thinking.",
            new(2025, 5, 22), 200_000, "Claude", TextImage,
            [new("anthropic", "claude-sonnet-4-20250514", 3.00m, 15.00m, 64_000, AnthropicParameters, IsModerated: true)
                { CacheReadPerMillion = 0.30m, CacheWritePerMillion = 3.75m }])
        { CanonicalSlug = "anthropic/claude-4-sonnet-20250522", Categories = ["programming", "technology"] },
        new("anthropic/claude-3.7-sonnet", "Anthropic: Claude 3.7 Sonnet",
            "Claude 3.7 Sonnet introduced hybrid reasoning: answer at once or think step by step, strong at front-end and full-stack coding.",
            new(2025, 2, 24), 200_000, "Claude", TextImageFile,
            [new("anthropic", "claude-3-7-sonnet-20250219", 3.00m, 15.00m, 64_000, AnthropicParameters, IsModerated: true)
                { CacheReadPerMillion = 0.30m, CacheWritePerMillion = 3.75m }])
        { CanonicalSlug = "anthropic/claude-3-7-sonnet-20250219", Categories = ["programming"] },
        new("anthropic/claude-3.5-haiku", "Anthropic: Claude 3.5 Haiku",
            "Claude 3.5 Haiku is Anthropic's fastest model, for real-time and high-volume tasks.",
            new(2024, 11, 4), 200_000, "Claude", TextImage,
            [new("anthropic", "claude-3-5-haiku-20241022", 0.80m, 4.00m, 8_192, AnthropicNonReasoningParameters, IsModerated: true)
                { CacheReadPerMillion = 0.08m, CacheWritePerMillion = 1.00m }])
        { Categories = ["marketing", "trivia"] },

        // ---- Google ------------------------------------------------------------------------------------------
        new("google/gemini-2.5-pro", "Google: Gemini 2.5 Pro",
            "Gemini 2.5 Pro is Google's most advanced thinking model, for reasoning, coding, maths and science over a one-million-token context.",
            new(2025, 6, 17), 1_048_576, "Gemini", GeminiInputs,
            [new("google-ai-studio", "gemini-2.5-pro", 1.25m, 10.00m, 65_536, GeminiReasoningParameters)
                { CacheReadPerMillion = 0.31m, CacheWritePerMillion = 1.625m, ImplicitCaching = true }])
        { Categories = ["programming", "science", "academia"] },
        new("google/gemini-2.5-flash", "Google: Gemini 2.5 Flash",
            "Gemini 2.5 Flash is Google's price-performance workhorse with built-in thinking and a one-million-token context.",
            new(2025, 6, 17), 1_048_576, "Gemini", GeminiInputs,
            [new("google-ai-studio", "gemini-2.5-flash", 0.30m, 2.50m, 65_535, GeminiReasoningParameters)
                { CacheReadPerMillion = 0.075m, CacheWritePerMillion = 0.3833m, ImplicitCaching = true }])
        { Categories = ["technology", "translation"] },
        new("google/gemini-2.5-flash-lite", "Google: Gemini 2.5 Flash Lite",
            "Gemini 2.5 Flash-Lite is the lowest-latency, lowest-cost Gemini 2.5 model, with optional thinking.",
            new(2025, 7, 22), 1_048_576, "Gemini", GeminiInputs,
            [new("google-ai-studio", "gemini-2.5-flash-lite", 0.10m, 0.40m, 65_535, GeminiReasoningParameters)
                { CacheReadPerMillion = 0.025m, CacheWritePerMillion = 0.1833m, ImplicitCaching = true }])
        { Categories = ["translation"] },
        new("google/gemini-2.0-flash-001", "Google: Gemini 2.0 Flash",
            "Gemini 2.0 Flash offers fast time to first token and a one-million-token context window.",
            new(2025, 2, 5), 1_048_576, "Gemini", TextImage,
            [new("google-ai-studio", "gemini-2.0-flash-001", 0.10m, 0.40m, 8_192, GeminiParameters)
                { CacheReadPerMillion = 0.025m, CacheWritePerMillion = 0.1833m }])
        { Categories = ["translation", "marketing"] },
        new("google/gemini-embedding-001", "Google: Gemini Embedding 001",
            "Gemini Embedding is Google's multilingual text embedding model, 3072 dimensions (shortenable).",
            new(2025, 7, 14), 2_048, "Gemini", TextOnly,
            [new("google-ai-studio", "gemini-embedding-001", 0.15m, 0m, null, OpenAIEmbeddingParameters)])
        { OutputModalities = Embeddings },
        new("google/gemma-3-27b-it", "Google: Gemma 3 27B",
            "Gemma 3 27B is Google's open-weights multimodal model with a 128k context and support for over 140 languages.",
            new(2025, 3, 12), 131_072, "Gemini", TextImage,
            [new("deepinfra", "google/gemma-3-27b-it", 0.09m, 0.17m, 16_384, OpenWeightsParameters, "bf16")])
        {
            InstructType = "gemma", HuggingFaceId = "google/gemma-3-27b-it", Categories = ["translation", "roleplay"],
            FreeEndpoints = [new("chutes", "unsloth/gemma-3-27b-it", 0m, 0m, null, FreeParameters, "bf16") { ContextLength = 96_000 }],
        },

        // ---- Meta Llama ----------------------------------------------------------------------------------------
        new("meta-llama/llama-3.3-70b-instruct", "Meta: Llama 3.3 70B Instruct",
            "Llama 3.3 70B is a multilingual instruction-tuned model, optimised for dialogue.",
            new(2024, 12, 6), 131_072, "Llama3", TextOnly,
            [
                new("deepinfra", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.23m, 0.40m, 16_384, OpenWeightsParameters, "fp8"),
                new("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88m, 0.88m, 16_384, OpenWeightsParameters, "fp8"),
                new("groq", "llama-3.3-70b-versatile", 0.59m, 0.79m, 32_768, GroqParameters),
                new("fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct", 0.90m, 0.90m, 16_384, OpenWeightsParameters),
            ])
        {
            InstructType = "llama3", HuggingFaceId = "meta-llama/Llama-3.3-70B-Instruct", Categories = ["roleplay", "marketing"],
            FreeEndpoints = [new("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo-Free", 0m, 0m, 2_048, FreeParameters, "fp8")],
        },
        new("meta-llama/llama-3.1-8b-instruct", "Meta: Llama 3.1 8B Instruct",
            "Llama 3.1 8B is Meta's small, fast instruction-tuned model with a 128k context.",
            new(2024, 7, 23), 131_072, "Llama3", TextOnly,
            [
                new("deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct", 0.03m, 0.05m, 16_384, OpenWeightsParameters, "bf16"),
                new("groq", "llama-3.1-8b-instant", 0.05m, 0.08m, 131_072, GroqParameters),
                new("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", 0.18m, 0.18m, 16_384, OpenWeightsParameters, "fp8"),
                new("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", 0.20m, 0.20m, 16_384, OpenWeightsParameters),
            ])
        { InstructType = "llama3", HuggingFaceId = "meta-llama/Llama-3.1-8B-Instruct", Categories = ["roleplay"] },
        new("meta-llama/llama-4-maverick", "Meta: Llama 4 Maverick",
            "Llama 4 Maverick is a 17B-active-parameter mixture-of-experts model (128 experts) with native image understanding.",
            new(2025, 4, 5), 1_048_576, "Llama4", TextImage,
            [
                new("deepinfra", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", 0.15m, 0.60m, 16_384, OpenWeightsParameters, "fp8"),
                new("groq", "meta-llama/llama-4-maverick-17b-128e-instruct", 0.20m, 0.60m, 8_192, GroqParameters) { ContextLength = 131_072 },
                new("fireworks", "accounts/fireworks/models/llama4-maverick-instruct-basic", 0.22m, 0.88m, 16_384, OpenWeightsParameters),
                new("together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", 0.27m, 0.85m, 16_384, OpenWeightsParameters, "fp8"),
            ])
        {
            CanonicalSlug = "meta-llama/llama-4-maverick-17b-128e-instruct",
            HuggingFaceId = "meta-llama/Llama-4-Maverick-17B-128E-Instruct", Categories = ["technology"],
        },
        new("meta-llama/llama-4-scout", "Meta: Llama 4 Scout",
            "Llama 4 Scout is a 17B-active-parameter mixture-of-experts model (16 experts) with image input and a very long context.",
            new(2025, 4, 5), 1_048_576, "Llama4", TextImage,
            [
                new("deepinfra", "meta-llama/Llama-4-Scout-17B-16E-Instruct", 0.08m, 0.30m, 16_384, OpenWeightsParameters, "bf16") { ContextLength = 327_680 },
                new("groq", "meta-llama/llama-4-scout-17b-16e-instruct", 0.11m, 0.34m, 8_192, GroqParameters) { ContextLength = 131_072 },
                new("fireworks", "accounts/fireworks/models/llama4-scout-instruct-basic", 0.15m, 0.60m, 16_384, OpenWeightsParameters),
                new("together", "meta-llama/Llama-4-Scout-17B-16E-Instruct", 0.18m, 0.59m, 16_384, OpenWeightsParameters, "fp8"),
            ])
        {
            CanonicalSlug = "meta-llama/llama-4-scout-17b-16e-instruct",
            HuggingFaceId = "meta-llama/Llama-4-Scout-17B-16E-Instruct", Categories = ["technology"],
        },

        // ---- Mistral -----------------------------------------------------------------------------------------
        new("mistralai/mistral-large-2411", "Mistral: Mistral Large 2411",
            "Mistral Large 2 (24.11) is Mistral's top-tier model for reasoning, knowledge and coding, with function calling.",
            new(2024, 11, 18), 131_072, "Mistral", TextOnly,
            [new("mistral", "mistral-large-2411", 2.00m, 6.00m, null, MistralParameters)])
        { InstructType = "mistral", HuggingFaceId = "mistralai/Mistral-Large-Instruct-2411", Categories = ["translation", "legal"] },
        new("mistralai/mistral-medium-3", "Mistral: Mistral Medium 3",
            "Mistral Medium 3 delivers frontier-class results at a lower cost, with image input, for enterprise workloads.",
            new(2025, 5, 7), 131_072, "Mistral", TextImage,
            [new("mistral", "mistral-medium-2505", 0.40m, 2.00m, null, MistralParameters)])
        { Categories = ["programming", "technology"] },
        new("mistralai/mistral-small-3.1-24b-instruct", "Mistral: Mistral Small 3.1 24B",
            "Mistral Small 3.1 is a 24B-parameter model with vision and a 128k context window.",
            new(2025, 3, 17), 128_000, "Mistral", TextImage,
            [
                new("mistral", "mistral-small-2503", 0.10m, 0.30m, null, MistralParameters),
                new("deepinfra", "mistralai/Mistral-Small-3.1-24B-Instruct-2503", 0.05m, 0.10m, 16_384, OpenWeightsParameters, "bf16"),
            ])
        {
            CanonicalSlug = "mistralai/mistral-small-3.1-24b-instruct-2503", InstructType = "mistral",
            HuggingFaceId = "mistralai/Mistral-Small-3.1-24B-Instruct-2503", Categories = ["marketing"],
            FreeEndpoints = [new("chutes", "chutesai/Mistral-Small-3.1-24B-Instruct-2503", 0m, 0m, null, FreeParameters, "bf16") { ContextLength = 96_000 }],
        },
        new("mistralai/mistral-nemo", "Mistral: Mistral Nemo",
            "Mistral NeMo is a 12B model built with NVIDIA, multilingual, with a 128k context and function calling.",
            new(2024, 7, 18), 131_072, "Mistral", TextOnly,
            [
                new("mistral", "open-mistral-nemo", 0.15m, 0.15m, null, MistralParameters),
                new("deepinfra", "mistralai/Mistral-Nemo-Instruct-2407", 0.02m, 0.04m, 16_384, OpenWeightsParameters, "bf16"),
            ])
        { InstructType = "mistral", HuggingFaceId = "mistralai/Mistral-Nemo-Instruct-2407", Categories = ["roleplay"] },
        new("mistralai/codestral-2501", "Mistral: Codestral 2501",
            "Codestral 25.01 is Mistral's coding model, for fill-in-the-middle, code correction and test generation in 80+ languages.",
            new(2025, 1, 14), 262_144, "Mistral", TextOnly,
            [new("mistral", "codestral-2501", 0.30m, 0.90m, null, MistralParameters)])
        { Categories = ["programming"] },
        new("mistralai/mistral-embed-2312", "Mistral: Mistral Embed 2312",
            "Mistral Embed produces 1024-dimension embeddings for retrieval and clustering.",
            new(2023, 12, 11), 8_192, "Mistral", TextOnly,
            [new("mistral", "mistral-embed", 0.10m, 0m, null, EmbeddingParameters)])
        { OutputModalities = Embeddings },

        // ---- DeepSeek ----------------------------------------------------------------------------------------
        new("deepseek/deepseek-chat", "DeepSeek: DeepSeek V3",
            "DeepSeek-V3 is a mixture-of-experts model with 671B total parameters, strong at code and reasoning.",
            new(2024, 12, 26), 163_840, "DeepSeek", TextOnly,
            [
                new("deepseek", "deepseek-chat", 0.27m, 1.10m, 8_192, DeepSeekParameters)
                    { ContextLength = 65_536, CacheReadPerMillion = 0.07m, ImplicitCaching = true },
                new("deepinfra", "deepseek-ai/DeepSeek-V3", 0.38m, 0.89m, 163_840, OpenWeightsParameters, "fp8"),
                new("together", "deepseek-ai/DeepSeek-V3", 1.25m, 1.25m, 12_288, OpenWeightsParameters, "fp8"),
            ])
        {
            CanonicalSlug = "deepseek/deepseek-chat-v3", HuggingFaceId = "deepseek-ai/DeepSeek-V3",
            Categories = ["programming", "roleplay"],
        },
        new("deepseek/deepseek-chat-v3-0324", "DeepSeek: DeepSeek V3 0324",
            "DeepSeek V3 0324 is the March 2025 update of DeepSeek's flagship chat model, better at reasoning, coding and tool use.",
            new(2025, 3, 24), 163_840, "DeepSeek", TextOnly,
            [
                new("deepseek", "deepseek-chat", 0.27m, 1.10m, 8_192, DeepSeekParameters)
                    { ContextLength = 65_536, CacheReadPerMillion = 0.07m, ImplicitCaching = true },
                new("deepinfra", "deepseek-ai/DeepSeek-V3-0324", 0.28m, 0.88m, 163_840, OpenWeightsParameters, "fp8"),
                new("fireworks", "accounts/fireworks/models/deepseek-v3-0324", 0.90m, 0.90m, 163_840, OpenWeightsParameters),
            ])
        {
            HuggingFaceId = "deepseek-ai/DeepSeek-V3-0324", Categories = ["programming", "roleplay"],
            FreeEndpoints = [new("chutes", "deepseek-ai/DeepSeek-V3-0324", 0m, 0m, null, FreeParameters, "fp8")],
        },
        new("deepseek/deepseek-r1", "DeepSeek: R1",
            "DeepSeek R1 is an open reasoning model on par with OpenAI o1, with fully open reasoning tokens (MIT licence).",
            new(2025, 1, 20), 163_840, "DeepSeek", TextOnly,
            [
                new("deepseek", "deepseek-reasoner", 0.55m, 2.19m, 32_768, DeepSeekReasonerParameters)
                    { ContextLength = 65_536, CacheReadPerMillion = 0.14m, ImplicitCaching = true },
                new("deepinfra", "deepseek-ai/DeepSeek-R1", 0.45m, 2.15m, 16_384, OpenWeightsReasoningParameters, "fp8"),
                new("together", "deepseek-ai/DeepSeek-R1", 3.00m, 7.00m, 32_768, OpenWeightsReasoningParameters, "fp8"),
                new("fireworks", "accounts/fireworks/models/deepseek-r1", 3.00m, 8.00m, 20_480, OpenWeightsReasoningParameters),
            ])
        {
            InstructType = "deepseek-r1", HuggingFaceId = "deepseek-ai/DeepSeek-R1", Categories = ["science", "academia", "programming"],
            FreeEndpoints = [new("chutes", "deepseek-ai/DeepSeek-R1", 0m, 0m, null, FreeReasoningParameters, "fp8")],
        },
        new("deepseek/deepseek-r1-distill-llama-70b", "DeepSeek: R1 Distill Llama 70B",
            "R1 Distill Llama 70B is Llama 3.3 70B fine-tuned on DeepSeek R1's outputs: strong reasoning at a lower cost.",
            new(2025, 1, 23), 131_072, "Llama3", TextOnly,
            [
                new("deepinfra", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", 0.10m, 0.40m, 16_384, OpenWeightsReasoningParameters, "bf16"),
                new("groq", "deepseek-r1-distill-llama-70b", 0.75m, 0.99m, 131_072, GroqReasoningParameters),
            ])
        { InstructType = "deepseek-r1", HuggingFaceId = "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", Categories = ["science"] },

        // ---- Qwen --------------------------------------------------------------------------------------------
        new("qwen/qwen3-235b-a22b", "Qwen: Qwen3 235B A22B",
            "Qwen3 235B A22B is Alibaba's mixture-of-experts flagship (22B active) that switches between thinking and fast answers.",
            new(2025, 4, 28), 131_072, "Qwen3", TextOnly,
            [
                new("deepinfra", "Qwen/Qwen3-235B-A22B", 0.13m, 0.60m, 16_384, OpenWeightsReasoningParameters, "fp8") { ContextLength = 40_960 },
                new("together", "Qwen/Qwen3-235B-A22B-fp8-tput", 0.20m, 0.60m, 16_384, OpenWeightsReasoningParameters, "fp8") { ContextLength = 40_960 },
                new("fireworks", "accounts/fireworks/models/qwen3-235b-a22b", 0.22m, 0.88m, 16_384, OpenWeightsReasoningParameters),
                new("alibaba", "qwen3-235b-a22b", 0.70m, 2.80m, 16_384, AlibabaReasoningParameters),
            ])
        {
            CanonicalSlug = "qwen/qwen3-235b-a22b-04-28", InstructType = "qwen3", HuggingFaceId = "Qwen/Qwen3-235B-A22B",
            Categories = ["programming", "science"],
            FreeEndpoints = [new("chutes", "Qwen/Qwen3-235B-A22B", 0m, 0m, null, FreeReasoningParameters, "fp8") { ContextLength = 40_960 }],
        },
        new("qwen/qwen3-32b", "Qwen: Qwen3 32B",
            "Qwen3 32B is a dense model with switchable thinking, strong in reasoning, agents and multilingual dialogue.",
            new(2025, 4, 28), 131_072, "Qwen3", TextOnly,
            [
                new("deepinfra", "Qwen/Qwen3-32B", 0.10m, 0.30m, 16_384, OpenWeightsReasoningParameters, "bf16") { ContextLength = 40_960 },
                new("groq", "qwen/qwen3-32b", 0.29m, 0.59m, 40_960, GroqReasoningParameters),
            ])
        { CanonicalSlug = "qwen/qwen3-32b-04-28", InstructType = "qwen3", HuggingFaceId = "Qwen/Qwen3-32B", Categories = ["programming"] },
        new("qwen/qwen-2.5-72b-instruct", "Qwen2.5 72B Instruct",
            "Qwen2.5 72B is Alibaba's large dense model with strong coding, maths and structured output, in 29+ languages.",
            new(2024, 9, 19), 32_768, "Qwen", TextOnly,
            [
                new("deepinfra", "Qwen/Qwen2.5-72B-Instruct", 0.12m, 0.39m, 16_384, OpenWeightsParameters, "bf16"),
                new("fireworks", "accounts/fireworks/models/qwen2p5-72b-instruct", 0.90m, 0.90m, 16_384, OpenWeightsParameters),
                new("together", "Qwen/Qwen2.5-72B-Instruct-Turbo", 1.20m, 1.20m, 16_384, OpenWeightsParameters, "fp8"),
            ])
        { InstructType = "chatml", HuggingFaceId = "Qwen/Qwen2.5-72B-Instruct", Categories = ["translation", "academia"] },
        new("qwen/qwen-2.5-coder-32b-instruct", "Qwen2.5 Coder 32B Instruct",
            "Qwen2.5 Coder 32B is a code-specific model with state-of-the-art open-source code generation, reasoning and repair.",
            new(2024, 11, 11), 32_768, "Qwen", TextOnly,
            [
                new("deepinfra", "Qwen/Qwen2.5-Coder-32B-Instruct", 0.06m, 0.15m, 16_384, OpenWeightsParameters, "bf16"),
                new("together", "Qwen/Qwen2.5-Coder-32B-Instruct", 0.80m, 0.80m, 16_384, OpenWeightsParameters, "fp16"),
                new("fireworks", "accounts/fireworks/models/qwen2p5-coder-32b-instruct", 0.90m, 0.90m, 16_384, OpenWeightsParameters),
            ])
        { InstructType = "chatml", HuggingFaceId = "Qwen/Qwen2.5-Coder-32B-Instruct", Categories = ["programming"] },
        new("qwen/qwen-max", "Qwen: Qwen-Max",
            "Qwen-Max is Alibaba's large mixture-of-experts model behind the Model Studio API, for complex multi-step tasks.",
            new(2025, 2, 1), 32_768, "Qwen", TextOnly,
            [new("alibaba", "qwen-max", 1.60m, 6.40m, 8_192, AlibabaParameters) { CacheReadPerMillion = 0.64m, ImplicitCaching = true }])
        { Categories = ["translation", "finance"] },
        new("qwen/qwen-plus", "Qwen: Qwen-Plus",
            "Qwen-Plus balances performance, speed and cost in Alibaba's hosted Qwen line, with a 128k context.",
            new(2025, 2, 1), 131_072, "Qwen", TextOnly,
            [new("alibaba", "qwen-plus", 0.40m, 1.20m, 8_192, AlibabaParameters) { CacheReadPerMillion = 0.16m, ImplicitCaching = true }])
        { Categories = ["marketing"] },

        // ---- xAI ---------------------------------------------------------------------------------------------
        new("x-ai/grok-4", "xAI: Grok 4",
            "Grok 4 is xAI's reasoning model with image input, parallel tool calling and a 256k context; reasoning cannot be turned off.",
            new(2025, 7, 9), 256_000, "Grok", TextImage,
            [new("xai", "grok-4-0709", 3.00m, 15.00m, null, XaiReasoningParameters) { CacheReadPerMillion = 0.75m, ImplicitCaching = true }])
        { CanonicalSlug = "x-ai/grok-4-07-09", Categories = ["science", "programming"] },
        new("x-ai/grok-3", "xAI: Grok 3",
            "Grok 3 is xAI's flagship non-reasoning model, strong at data extraction, coding and summarisation, with deep domain knowledge.",
            new(2025, 6, 10), 131_072, "Grok", TextOnly,
            [new("xai", "grok-3", 3.00m, 15.00m, null, XaiParameters) { CacheReadPerMillion = 0.75m, ImplicitCaching = true }])
        { Categories = ["finance", "legal", "health"] },
        new("x-ai/grok-3-mini", "xAI: Grok 3 Mini",
            "Grok 3 Mini is a lightweight reasoning model that thinks before responding.",
            new(2025, 4, 9), 131_072, "Grok", TextOnly,
            [new("xai", "grok-3-mini", 0.30m, 0.50m, null, XaiReasoningParameters) { CacheReadPerMillion = 0.075m, ImplicitCaching = true }])
        { Categories = ["trivia"] },

        // ---- Cohere ------------------------------------------------------------------------------------------
        new("cohere/command-a", "Cohere: Command A",
            "Command A is Cohere's 111B-parameter model for agents, retrieval and tool use across 23 languages, with a 256k context.",
            new(2025, 3, 13), 256_000, "Cohere", TextOnly,
            [new("cohere", "command-a-03-2025", 2.50m, 10.00m, 8_192, CohereParameters)])
        { HuggingFaceId = "CohereLabs/c4ai-command-a-03-2025", Categories = ["legal", "finance"] },
        new("cohere/command-r-plus-08-2024", "Cohere: Command R+ (08-2024)",
            "Command R+ (08-2024) is Cohere's retrieval-augmented generation and multi-step tool-use model.",
            new(2024, 8, 30), 128_000, "Cohere", TextOnly,
            [new("cohere", "command-r-plus-08-2024", 2.50m, 10.00m, 4_000, CohereParameters)])
        { HuggingFaceId = "CohereLabs/c4ai-command-r-plus-08-2024", Categories = ["translation", "legal"] },
        new("cohere/command-r-08-2024", "Cohere: Command R (08-2024)",
            "Command R (08-2024) is Cohere's efficient model for retrieval-augmented generation, tool use and multilingual tasks.",
            new(2024, 8, 30), 128_000, "Cohere", TextOnly,
            [new("cohere", "command-r-08-2024", 0.15m, 0.60m, 4_000, CohereParameters)])
        { HuggingFaceId = "CohereLabs/c4ai-command-r-08-2024", Categories = ["marketing"] },
    ];

    /// <summary>Every seeded model, <c>:free</c> variants included as models of their own.</summary>
    public static readonly ModelSeed[] Models = [.. BaseModels.SelectMany(WithFreeVariant)];

    private static IEnumerable<ModelSeed> WithFreeVariant(ModelSeed model)
    {
        yield return model with { FreeEndpoints = null };
        if (model.FreeEndpoints is { } free)
        {
            yield return model with
            {
                Id = model.Id + global::Catalog.Service.Models.Model.FreeSuffix,
                Name = model.Name + " (free)",
                CanonicalSlug = model.CanonicalSlug ?? model.Id,
                Endpoints = free,
                FreeEndpoints = null,
            };
        }
    }
}
