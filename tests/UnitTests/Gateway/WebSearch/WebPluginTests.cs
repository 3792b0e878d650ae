using System.Text;
using System.Text.Json;
using Gateway.Api.Inference;
using Gateway.Api.WebSearch;

namespace UnitTests.Gateway.WebSearch;

public class WebPluginTests
{
    private static string? Validate(string plugins, out ChatCompletionEnvelope? envelope)
        => ChatCompletionRequestValidator.TryParse(Encoding.UTF8.GetBytes(
            $$"""{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"plugins":{{plugins}}}"""), out envelope);

    [Fact]
    public void The_web_plugin_gets_five_results_and_the_default_prompt_unless_told_otherwise()
    {
        Assert.Null(Validate("""[{"id":"web"}]""", out var envelope));

        Assert.Equal(new WebPluginRequest(true, WebPlugin.DefaultMaxResults, null), envelope!.WebPlugin);
    }

    [Fact]
    public void Max_results_and_search_prompt_are_read_and_results_beyond_the_cap_are_cut()
    {
        Assert.Null(Validate("""[{"id":"web","max_results":3,"search_prompt":"Sources:","engine":"exa"}]""", out var three));
        Assert.Null(Validate("""[{"id":"web","max_results":50}]""", out var fifty));

        Assert.Equal(new WebPluginRequest(true, 3, "Sources:"), three!.WebPlugin);
        Assert.Equal(WebPlugin.MaxResults, fifty!.WebPlugin!.MaxResults);
    }

    [Theory]
    [InlineData("""{"id":"web"}""", "'plugins' must be an array")]
    [InlineData("""["web"]""", "'plugins[0]' must be an object with a string 'id'")]
    [InlineData("""[{"max_results":3}]""", "'plugins[0]' must be an object with a string 'id'")]
    [InlineData("""[{"id":"web"},{"id":"telepathy"}]""", "Unknown plugin 'telepathy' in 'plugins[1]'")]
    [InlineData("""[{"id":"web","max_results":0}]""", "'plugins[0].max_results' must be a positive integer")]
    [InlineData("""[{"id":"web","max_results":-2}]""", "'plugins[0].max_results' must be a positive integer")]
    [InlineData("""[{"id":"web","max_results":2.5}]""", "'plugins[0].max_results' must be a positive integer")]
    [InlineData("""[{"id":"web","max_results":"5"}]""", "'plugins[0].max_results' must be a positive integer")]
    [InlineData("""[{"id":"web","search_prompt":42}]""", "'plugins[0].search_prompt' must be a non-empty string")]
    [InlineData("""[{"id":"web","search_prompt":""}]""", "'plugins[0].search_prompt' must be a non-empty string")]
    [InlineData("""[{"id":"web","enabled":"yes"}]""", "'plugins[0].enabled' must be a boolean")]
    [InlineData("""[{"id":"web","engine":"native"}]""", "'plugins[0].engine' must be \"exa\"")]
    public void Bad_plugin_options_are_refused_with_a_message_naming_the_field(string plugins, string message)
    {
        var problem = Validate(plugins, out _);

        Assert.NotNull(problem);
        Assert.StartsWith(message, problem);
    }

    [Fact]
    public void Online_runs_the_search_with_the_plugin_options_or_the_defaults_and_a_disabled_plugin_alone_does_not()
    {
        var disabled = new WebPluginRequest(false, 2, "Sources:");

        Assert.Equal(new WebPluginRequest(true, 5, null), WebPlugin.Resolve(null, onlineVariant: true));
        Assert.Equal(new WebPluginRequest(true, 2, "Sources:"), WebPlugin.Resolve(disabled, onlineVariant: true));
        Assert.Null(WebPlugin.Resolve(disabled, onlineVariant: false));
        Assert.Null(WebPlugin.Resolve(null, onlineVariant: false));
        Assert.Equal(disabled with { Enabled = true }, WebPlugin.Resolve(disabled with { Enabled = true }, onlineVariant: false));
    }

    [Fact]
    public void Absent_or_null_plugins_need_nothing()
    {
        Assert.Null(WebPlugin.TryParse(null, out var absent));
        Assert.Null(WebPlugin.TryParse(JsonDocument.Parse("null").RootElement, out var none));
        Assert.Null(absent);
        Assert.Null(none);
    }
}
