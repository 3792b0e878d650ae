namespace Gateway.Api.Translation;

/// <summary>
/// A request or response that cannot be expressed in the other wire format. The message names the offending
/// field and never echoes its content, so the caller can answer it as a 400 (request) or 502 (upstream response).
/// </summary>
public sealed class TranslationException(string message) : Exception(message);
