using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Emulators.Common;

/// <summary>
/// Reads a JSON request body by hand rather than by binding, so that malformed JSON gets the provider's own
/// error body instead of ASP.NET Core's.
/// </summary>
public static class RequestBody
{
    /// <returns>The body, or null with the reason it could not be read.</returns>
    public static async Task<(T? Body, string? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken);
            return body is null ? (null, "The request body must be a JSON object.") : (body, null);
        }
        catch (JsonException exception)
        {
            return (null, $"We could not parse the JSON body of your request: {exception.Message}");
        }
    }
}
