using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Portal.Web.Playground;

public static class PlaygroundExtensions
{
    /// <summary>The playground's typed client for the gateway's public chat completions API.</summary>
    public static void AddPlayground(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName))
            .Validate(options => options.BaseUrl.IsAbsoluteUri, "Gateway:BaseUrl must be an absolute URL");

        // No resilience handler: a retried completion would be billed twice, and the defaults' 30 s total timeout
        // would cut long streams. The gateway has its own first-token, idle and total timeouts.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is still marked experimental.
        builder.Services.AddHttpClient<IGatewayChatClient, GatewayChatClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<IOptions<GatewayOptions>>().Value.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
