using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>The AppHost's wiring, checked on its model without starting anything.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task A_provider_key_parameter_sends_that_provider_to_its_real_api_and_only_that_one()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}",
             "--Parameters:provider-key-deepseek=sk-real-deepseek-key"],
            timeout.Token).WaitAsync(timeout.Token);

        var gateway = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "gateway");
        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>(), resource => resource.Name == "provider-key-deepseek");
        Assert.True(parameter.Secret);

        var environment = new Dictionary<string, object>();
        foreach (var callback in gateway.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), gateway, environment, timeout.Token));
        }
        Assert.Same(parameter, environment["Upstreams__Providers__deepseek__ApiKey"]);
        Assert.DoesNotContain(environment.Keys, name => name.StartsWith("Upstreams__Providers__", StringComparison.Ordinal) && name != "Upstreams__Providers__deepseek__ApiKey");
    }
}
