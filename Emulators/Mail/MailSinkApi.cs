using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Emulators.Mail;

/// <summary>
/// What the sink received, for operators and tests: <c>GET /mail</c> (a plain page, newest first),
/// <c>GET /mail/messages?to=</c> (JSON), <c>GET /mail/messages/{id}</c> and <c>DELETE /mail/messages</c>.
/// </summary>
public static class MailSinkApi
{
    public static IHostApplicationBuilder AddMailSink(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailSinkOptions>()
            .Bind(builder.Configuration.GetSection(MailSinkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<MailStore>();
        builder.Services.TryAddSingleton<SmtpSinkService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SmtpSinkService>());
        return builder;
    }

    public static IEndpointRouteBuilder MapMailSinkApi(this IEndpointRouteBuilder endpoints)
    {
        var mail = endpoints.MapGroup("/mail");
        mail.MapGet("/", Page);
        mail.MapGet("/messages", (string? to, MailStore store) =>
            TypedResults.Json(store.List(to), MailJsonContext.Default.IReadOnlyListReceivedMail));
        mail.MapGet("/messages/{id}", Results<JsonHttpResult<ReceivedMail>, NotFound> (string id, MailStore store) =>
            store.Find(id) is { } found ? TypedResults.Json(found, MailJsonContext.Default.ReceivedMail) : TypedResults.NotFound());
        mail.MapDelete("/messages", (MailStore store) =>
        {
            store.Clear();
            return TypedResults.NoContent();
        });
        return endpoints;
    }

    /// <summary>
    /// Everything escaped; an HTML body is shown in a sandboxed frame (no scripts, no same-origin access), so a
    /// message cannot run code on the emulator's origin.
    /// </summary>
    private static ContentHttpResult Page(MailStore store, SmtpSinkService smtp)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Mail sink</title>
            <style>body{"{"}font-family:system-ui,sans-serif;margin:2rem;max-width:60rem{"}"} article{"{"}border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0{"}"}
            pre{"{"}white-space:pre-wrap;background:#f6f6f6;padding:.5rem{"}"} iframe{"{"}width:100%;height:16rem;border:1px solid #ddd{"}"} dt{"{"}font-weight:600{"}"}</style></head>
            <body>
            <h1>Mail sink</h1>
            <p>SMTP on port <strong id="smtp-port">{smtp.Port}</strong>; newest first. JSON: <a href="mail/messages">/mail/messages</a>.</p>
            """);
        var messages = store.List();
        if (messages.Count == 0)
        {
            html.Append("<p id=\"empty\">No messages yet.</p>");
        }
        foreach (var message in messages)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <article class="message" id="message-{Encode(message.Id)}">
                <h2>{Encode(message.Subject.Length == 0 ? "(no subject)" : message.Subject)}</h2>
                <dl><dt>From</dt><dd>{Encode(message.From)}</dd><dt>To</dt><dd>{Encode(string.Join(", ", message.To))}</dd>
                <dt>Received</dt><dd>{message.Received:u}</dd></dl>
                """);
            if (message.Html is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<iframe sandbox title=\"HTML body\" srcdoc=\"{Encode(message.Html)}\"></iframe>");
            }
            if (message.Text is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<pre>{Encode(message.Text)}</pre>");
            }
            html.Append("</article>");
        }
        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReceivedMail))]
[JsonSerializable(typeof(IReadOnlyList<ReceivedMail>))]
public sealed partial class MailJsonContext : JsonSerializerContext;
