namespace Emulators.OpenAI;

/// <summary>The checks OpenAI makes on an embeddings request; a failed check is answered with 400.</summary>
public static class EmbeddingRequestValidator
{
    /// <param name="inputs">The inputs read from the request, when it has any.</param>
    /// <returns>Null when the request can be served, otherwise the error to answer with.</returns>
    public static OpenAIErrorResponse? Validate(EmbeddingRequest request, out IReadOnlyList<EmbeddingInput> inputs)
    {
        inputs = [];
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return OpenAIErrors.InvalidRequest("You must provide a model parameter.", "model");
        }

        if (EmbeddingFactory.ReadInputs(request.Input) is not { } read || read.Any(input => input.Text is ""))
        {
            return OpenAIErrors.InvalidRequest(
                "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
        }

        if (read.Count > EmbeddingFactory.MaxInputs)
        {
            return OpenAIErrors.InvalidRequest(
                $"'$.input' is too long: at most {EmbeddingFactory.MaxInputs} inputs can be embedded at once.", "input");
        }

        if (request.Dimensions is { } dimensions)
        {
            if (!EmbeddingFactory.SupportsDimensions(request.Model))
            {
                return OpenAIErrors.InvalidRequest("This model does not support specifying dimensions.", "dimensions");
            }
            var max = EmbeddingFactory.DefaultDimensions(request.Model);
            if (dimensions < 1 || dimensions > max)
            {
                return OpenAIErrors.InvalidRequest($"dimensions must be from 1 to {max} for {request.Model}.", "dimensions");
            }
        }

        if (request.EncodingFormat is not (null or "float" or "base64"))
        {
            return OpenAIErrors.InvalidRequest(
                $"Invalid value: '{request.EncodingFormat}'. Supported values are: 'float' and 'base64'.", "encoding_format");
        }

        inputs = read;
        return null;
    }
}
