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

    [Fact]
    public async Task The_portal_mails_through_the_emulators_smtp_sink_by_default()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}"],
            timeout.Token).WaitAsync(timeout.Token);

        var emulators = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "emulators");
        var smtp = Assert.Single(emulators.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "smtp");
        Assert.Equal("tcp", smtp.UriScheme);

        var environment = await EnvironmentOfAsync(builder, "portal", timeout.Token);
        var host = Assert.IsType<EndpointReferenceExpression>(environment["Mail__Host"]);
        Assert.Equal(("emulators", "smtp", EndpointProperty.Host), (host.Endpoint.Resource.Name, host.Endpoint.EndpointName, host.Property));
        var port = Assert.IsType<EndpointReferenceExpression>(environment["Mail__Port"]);
        Assert.Equal(("smtp", EndpointProperty.Port), (port.Endpoint.EndpointName, port.Property));
        Assert.Equal("false", environment["Mail__EnableSsl"]);
        Assert.DoesNotContain("Mail__Password", environment.Keys);
    }

    [Fact]
    public async Task An_smtp_host_parameter_sends_the_portals_mail_to_a_real_server_with_starttls()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}",
             "--Parameters:smtp-host=smtp.example.com", "--Parameters:smtp-username=mailer", "--Parameters:smtp-password=s3cret"],
            timeout.Token).WaitAsync(timeout.Token);

        var environment = await EnvironmentOfAsync(builder, "portal", timeout.Token);
        var host = Assert.IsType<ParameterResource>(environment["Mail__Host"]);
        Assert.Equal("smtp.example.com", await host.GetValueAsync(timeout.Token));
        Assert.Equal("587", await Assert.IsType<ParameterResource>(environment["Mail__Port"]).GetValueAsync(timeout.Token));
        Assert.Equal("true", environment["Mail__EnableSsl"]);
        var password = Assert.IsType<ParameterResource>(environment["Mail__Password"]);
        Assert.True(password.Secret);
        Assert.Equal("s3cret", await password.GetValueAsync(timeout.Token));
        Assert.Equal("mailer", await Assert.IsType<ParameterResource>(environment["Mail__UserName"]).GetValueAsync(timeout.Token));
    }

    [Fact]
    public async Task The_gateway_runs_one_replica_by_default_and_as_many_as_Gateway_Replicas_says()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        string[] local = ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}"];
        var byDefault = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(local, timeout.Token).WaitAsync(timeout.Token);
        var configured = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. local, "--Gateway:Replicas=3"], timeout.Token)
            .WaitAsync(timeout.Token);

        Assert.Equal(1, Gateway(byDefault).GetReplicaCount());
        Assert.Equal(3, Gateway(configured).GetReplicaCount());
        // Replicas share the launch profile's public port through Aspire's proxy, so it must stay proxied.
        Assert.All(Gateway(configured).Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.True(endpoint.IsProxied));

        static ProjectResource Gateway(IDistributedApplicationTestingBuilder builder)
            => builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "gateway");
    }

    [Fact]
    public async Task Telemetry_TraceSampleRatio_samples_every_services_traces_and_without_it_every_request_is_traced()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        string[] local = ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}"];
        var byDefault = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(local, timeout.Token).WaitAsync(timeout.Token);
        var sampled = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. local, "--Telemetry:TraceSampleRatio=0.25"], timeout.Token)
            .WaitAsync(timeout.Token);

        foreach (var name in sampled.Resources.OfType<ProjectResource>().Select(project => project.Name))
        {
            var environment = await EnvironmentOfAsync(sampled, name, timeout.Token);
            Assert.Equal(("parentbased_traceidratio", "0.25"), (environment["OTEL_TRACES_SAMPLER"], environment["OTEL_TRACES_SAMPLER_ARG"]));
        }
        var gatewayByDefault = await EnvironmentOfAsync(byDefault, "gateway", timeout.Token);
        Assert.NotEqual("parentbased_traceidratio", gatewayByDefault.GetValueOrDefault("OTEL_TRACES_SAMPLER"));
        Assert.DoesNotContain("OTEL_TRACES_SAMPLER_ARG", gatewayByDefault.Keys);
    }

    [Fact]
    public async Task Gateway_InlineSocketCompletions_turns_inline_completions_on_for_the_gateway_alone()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        string[] local = ["--Infrastructure:Mode=Local", $"--Infrastructure:DataDirectory={TestAppHost.NewDataDirectory()}"];
        var byDefault = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(local, timeout.Token).WaitAsync(timeout.Token);
        var inline = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. local, "--Gateway:InlineSocketCompletions=true"], timeout.Token)
            .WaitAsync(timeout.Token);
        const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

        Assert.Equal("1", (await EnvironmentOfAsync(inline, "gateway", timeout.Token))[Variable]);
        Assert.DoesNotContain(Variable, (await EnvironmentOfAsync(byDefault, "gateway", timeout.Token)).Keys);
        Assert.DoesNotContain(Variable, (await EnvironmentOfAsync(inline, "billing", timeout.Token)).Keys);
    }

    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(IDistributedApplicationTestingBuilder builder, string name, CancellationToken cancellationToken)
    {
        var resource = builder.Resources.OfType<ProjectResource>().Single(candidate => candidate.Name == name);
        var environment = new Dictionary<string, object>();
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, environment, cancellationToken));
        }
        return environment;
    }
}
