using Gateway.Api.Keys;
using Gateway.Api.Providers;
using Microsoft.AspNetCore.Http.Features;
using OpenRouterClone.Shared;

namespace Gateway.Api.Inference;

/// <summary>
/// The OpenAI-compatible inference surface. For now a key-checked, validated pass-through to the emulator
/// upstream; routing, credit holds and usage accounting plug in here (issues 5 and 6).
/// </summary>
public static class InferenceApi
{
    // OpenRouter accepts large multimodal prompts; beyond this the caller gets 413, not a buffered giant.
    private const long MaxRequestBodyBytes = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/chat/completions", ChatCompletionsAsync);
        return app;
    }

    public static async Task<IResult> ChatCompletionsAsync(
        HttpContext context, UpstreamClient upstream, ApiKeyResolver keys, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryRead(context.Request.Headers.Authorization, out var secret))
        {
            return ApiError.Unauthorized("No auth credentials found");
        }
        var key = await keys.ResolveAsync(secret);
        if (key is null)
        {
            return ApiError.Unauthorized("Invalid, disabled or expired API key");
        }
        if (key.IsProvisioningKey)
        {
            return ApiError.Create(StatusCodes.Status403Forbidden, "Provisioning keys can only manage API keys, not call models");
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return ApiError.Create(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds {MaxRequestBodyBytes} bytes");
        }

        if (ChatCompletionRequestValidator.Validate(body.Value.Span) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }

        HttpResponseMessage response;
        try
        {
            response = await upstream.SendChatCompletionAsync(body.Value, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            loggerFactory.CreateLogger(typeof(InferenceApi)).LogWarning(ex, "Upstream call failed before a response");
            return ApiError.Create(StatusCodes.Status502BadGateway, "The upstream provider could not be reached");
        }

        using (response)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
            // Each write to the Kestrel response body is sent at once, so SSE events reach the client as they come.
            await upstreamBody.CopyToAsync(context.Response.Body, cancellationToken);
        }
        return TypedResults.Empty;
    }

    /// <summary>Reads the whole body, or returns null when it is larger than the limit.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
