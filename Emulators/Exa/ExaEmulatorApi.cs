using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Exa;

/// <summary>
/// A stand-in for Exa's search API (<c>POST /exa/search</c>, Exa's <c>/search</c>), which the gateway's web
/// plugin calls. Results are deterministic; the <c>X-Emulator-Fail</c> header, or settings for the provider
/// <c>exa</c> (<c>Emulator:Providers:exa</c>, or at run time <c>PUT /emulator/providers/exa</c>), make it answer an
/// HTTP error (or hang, reset, or send a broken body) like the emulated model APIs.
/// </summary>
public static class ExaEmulatorApi
{
    /// <summary>The name its latency and fault settings go by.</summary>
    public const string ProviderName = "exa";

    public static IEndpointRouteBuilder MapExaEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/exa/search", SearchAsync);
        return endpoints;
    }

    private static async Task<IResult> SearchAsync(
        HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, readError) = await RequestBody.ReadAsync(httpContext.Request, ExaJsonContext.Default.ExaSearchRequest, cancellationToken);
        if (request is null)
        {
            return Error(StatusCodes.Status400BadRequest, readError!, "INVALID_REQUEST_BODY");
        }
        if (ExaSearch.Validate(request) is { } invalid)
        {
            return Error(StatusCodes.Status400BadRequest, invalid, "INVALID_REQUEST_BODY");
        }
        if (!EmulatorDirectives.TryParse(httpContext.Request.Headers, providers.ProfileFor(ProviderName), out var directives, out var headerError))
        {
            return Error(StatusCodes.Status400BadRequest, headerError, "INVALID_REQUEST");
        }
        switch (directives.Fault)
        {
            case { Kind: FaultKind.Hang }:
                // Until the caller gives up: its timeout is what is being tested.
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken);
                break;
            case { Kind: FaultKind.Error } when directives.FailureStatusCode is { } status:
                return Error(status, $"Emulated search failure ({status})", "EMULATED_FAULT");
            case { Kind: FaultKind.Reset }:
                httpContext.Abort();
                return TypedResults.Empty;
            case { Kind: FaultKind.Malformed }:
                return TypedResults.Text("{\"requestId\":\"truncated\",\"results\":[{\"title\":", "application/json");
        }
        await Task.Delay(directives.Latency.TimeToFirstToken, timeProvider, cancellationToken);
        return TypedResults.Json(ExaSearch.Search(request, timeProvider.GetUtcNow()), ExaJsonContext.Default.ExaSearchResponse);
    }

    private static JsonHttpResult<ExaError> Error(int status, string message, string tag)
        => TypedResults.Json(new ExaError(Guid.NewGuid().ToString("N"), message, tag), ExaJsonContext.Default.ExaError, statusCode: status);
}
