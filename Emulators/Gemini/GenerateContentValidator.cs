namespace Emulators.Gemini;

/// <summary>
/// The checks Gemini makes that the emulator relies on, worded as Google words them; a failed check is
/// answered with 400 INVALID_ARGUMENT.
/// </summary>
public static class GenerateContentValidator
{
    public const int MaxThinkingBudget = 32_768;

    /// <returns>Null when the request can be served, otherwise the error message.</returns>
    public static string? Validate(GenerateContentRequest request)
    {
        if (request.Contents is not { Count: > 0 } contents)
        {
            return "* GenerateContentRequest.contents: contents is not specified\n";
        }

        for (var index = 0; index < contents.Count; index++)
        {
            var content = contents[index];
            if (content?.Role is not (null or "user" or "model"))
            {
                return "Please use a valid role: user, model.";
            }
            if (content?.Parts is not { Count: > 0 } parts)
            {
                return $"* GenerateContentRequest.contents[{index}].parts: contents.parts must not be empty.\n";
            }
            for (var part = 0; part < parts.Count; part++)
            {
                if (parts[part]?.HasData != true)
                {
                    return $"* GenerateContentRequest.contents[{index}].parts[{part}].data: required oneof field 'data' must have one initialized field\n";
                }
            }
        }

        var config = request.GenerationConfig;
        if (config?.MaxOutputTokens is < 1)
        {
            return "* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be positive.\n";
        }
        if (config?.ThinkingConfig?.ThinkingBudget is < -1 or > MaxThinkingBudget)
        {
            return $"The thinking budget must be -1 (dynamic), 0 (off) or from 1 to {MaxThinkingBudget}.";
        }
        if (config?.ThinkingConfig?.ThinkingLevel is { } level
            && !level.Equals("minimal", StringComparison.OrdinalIgnoreCase) && !level.Equals("low", StringComparison.OrdinalIgnoreCase)
            && !level.Equals("medium", StringComparison.OrdinalIgnoreCase) && !level.Equals("high", StringComparison.OrdinalIgnoreCase))
        {
            return $"Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), \"{level}\"";
        }

        var declarations = GenerateContentFactory.FunctionDeclarations(request);
        if (declarations.Any(declaration => string.IsNullOrWhiteSpace(declaration.Name)))
        {
            return "* GenerateContentRequest.tools[0].function_declarations[0].name: Name cannot be empty.\n";
        }

        var calling = request.ToolConfig?.FunctionCallingConfig;
        if (calling?.Mode is { } mode && !(mode is "MODE_UNSPECIFIED" or "AUTO" or "ANY" or "NONE" or "VALIDATED"))
        {
            return $"Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"{mode}\"";
        }
        if (calling?.AllowedFunctionNames is { Count: > 0 } allowed)
        {
            if (calling.Mode != "ANY")
            {
                return "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: only allowed when mode is ANY.\n";
            }
            if (allowed.FirstOrDefault(name => declarations.All(declaration => declaration.Name != name)) is { } unknown)
            {
                return $"* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: function '{unknown}' is not declared.\n";
            }
        }

        return null;
    }
}
