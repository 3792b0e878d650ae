using System.Text.Json;

namespace Gateway.Api.WebSearch;

/// <summary>The web plugin as the caller asked for it: on or off, how many results, and their own prompt text.</summary>
public sealed record WebPluginRequest(bool Enabled, int MaxResults, string? SearchPrompt);

/// <summary>
/// Reads the request's <c>plugins</c> array (OpenRouter's <c>[{"id": "web", "max_results": 5, "search_prompt": "..."}]</c>)
/// and decides whether the web plugin runs: when the caller enabled it there, or asked for a <c>:online</c> model.
/// </summary>
public static class WebPlugin
{
    public const string Id = "web";
    public const int DefaultMaxResults = 5;

    /// <summary>More results are cut to this many, so the prompt and the search fee stay bounded.</summary>
    public const int MaxResults = 10;

    public const int MaxSearchPromptLength = 4000;

    /// <summary>Returns null when <paramref name="plugins"/> is absent or valid (with the web plugin's settings, if it is named), else the message for a 400.</summary>
    public static string? TryParse(JsonElement? plugins, out WebPluginRequest? web)
    {
        web = null;
        if (plugins is not { ValueKind: not JsonValueKind.Null } given)
        {
            return null;
        }
        if (given.ValueKind != JsonValueKind.Array)
        {
            return "'plugins' must be an array of objects with an 'id'";
        }
        var position = 0;
        foreach (var plugin in given.EnumerateArray())
        {
            var name = $"plugins[{position++}]";
            if (plugin.ValueKind != JsonValueKind.Object || !plugin.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return $"'{name}' must be an object with a string 'id'";
            }
            if (id.GetString() != Id)
            {
                return $"Unknown plugin '{id.GetString()}' in '{name}': the supported plugin is '{Id}'";
            }
            if (ReadWeb(plugin, name, out web) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? ReadWeb(JsonElement plugin, string name, out WebPluginRequest? web)
    {
        web = null;
        var enabled = true;
        if (plugin.TryGetProperty("enabled", out var enabledValue) && enabledValue.ValueKind != JsonValueKind.Null)
        {
            if (enabledValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"'{name}.enabled' must be a boolean";
            }
            enabled = enabledValue.GetBoolean();
        }
        var maxResults = DefaultMaxResults;
        if (plugin.TryGetProperty("max_results", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt64(out var count) || count < 1)
            {
                return $"'{name}.max_results' must be a positive integer";
            }
            maxResults = (int)Math.Min(count, MaxResults);
        }
        string? searchPrompt = null;
        if (plugin.TryGetProperty("search_prompt", out var prompt) && prompt.ValueKind != JsonValueKind.Null)
        {
            if (prompt.ValueKind != JsonValueKind.String || prompt.GetString() is not { Length: > 0 and <= MaxSearchPromptLength } text)
            {
                return $"'{name}.search_prompt' must be a non-empty string of at most {MaxSearchPromptLength} characters";
            }
            searchPrompt = text;
        }
        // Exa is the engine OpenRouter uses by default and the only one here.
        if (plugin.TryGetProperty("engine", out var engine) && engine.ValueKind != JsonValueKind.Null
            && !(engine.ValueKind == JsonValueKind.String && engine.GetString() == "exa"))
        {
            return $"'{name}.engine' must be \"exa\" (the only search engine available)";
        }
        web = new WebPluginRequest(enabled, maxResults, searchPrompt);
        return null;
    }

    /// <summary>
    /// The settings the search runs with, or null when it does not run: <c>:online</c> runs it (with the plugin's
    /// options when given), else a web plugin entry that is not disabled.
    /// </summary>
    public static WebPluginRequest? Resolve(WebPluginRequest? requested, bool onlineVariant)
        => onlineVariant ? (requested ?? new WebPluginRequest(true, DefaultMaxResults, null)) with { Enabled = true }
            : requested is { Enabled: true } ? requested : null;
}
