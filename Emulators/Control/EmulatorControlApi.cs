using System.Text.Json;
using System.Text.Json.Serialization;
using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Control;

/// <summary>
/// Changes an emulated provider's latency and faults while the emulator runs, so an integration test can take
/// a provider down and bring it back without restarting anything. Settings put here replace the provider's
/// configured ones until they are deleted.
/// </summary>
public static class EmulatorControlApi
{
    public static IEndpointRouteBuilder MapEmulatorControlApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/emulator/providers");
        api.MapGet("/", ListProviders);
        api.MapPut("/{name}", SetProviderAsync);
        api.MapDelete("/{name}", ResetProvider);
        return endpoints;
    }

    private static JsonHttpResult<IReadOnlyDictionary<string, EmulatedProviderOptions>> ListProviders(EmulatedProviders providers) =>
        TypedResults.Json(providers.Settings(), EmulatorControlJsonContext.Default.IReadOnlyDictionaryStringEmulatedProviderOptions);

    private static async Task<Results<JsonHttpResult<EmulatedProviderOptions>, ValidationProblem>> SetProviderAsync(
        string name, HttpRequest request, EmulatedProviders providers, CancellationToken cancellationToken)
    {
        var (settings, readError) = await RequestBody.ReadAsync(request, EmulatorControlJsonContext.Default.EmulatedProviderOptions, cancellationToken);
        if (settings is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [readError!] });
        }

        var problems = providers.Override(name, settings);
        return problems.Count == 0
            ? TypedResults.Json(settings, EmulatorControlJsonContext.Default.EmulatedProviderOptions)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [.. problems] });
    }

    private static Results<NoContent, NotFound> ResetProvider(string name, EmulatedProviders providers) =>
        providers.Reset(name) ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>camelCase, as ASP.NET Core's own JSON, leaving out settings that are not set.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmulatedProviderOptions))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, EmulatedProviderOptions>))]
public sealed partial class EmulatorControlJsonContext : JsonSerializerContext;
