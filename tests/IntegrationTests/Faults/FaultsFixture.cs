using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace IntegrationTests.Faults;

/// <summary>
/// A system of its own for the fault tests, which stop and kill Redis, Postgres and services that other tests
/// rely on; its timers are short, so that what takes minutes in production (a dead gateway's holds lapsing,
/// a dead consumer's events being claimed) happens within a test.
/// </summary>
public sealed class FaultsFixture : AppHostFixture
{
    // Longer than a gateway takes to restart on a loaded machine, so the dead gateway's hold is still seen.
    public static readonly TimeSpan HoldLifetime = TimeSpan.FromSeconds(40);

    // The dashboard's name for an executable's process id (Aspire's KnownProperties is internal).
    private const string ProcessIdProperty = "executable.pid";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    // A hung upstream is given up on this soon (production: minutes), so hang storms fit in a test; still
    // longer than a gateway kill takes once its hold is seen.
    public static readonly TimeSpan FirstTokenTimeout = TimeSpan.FromSeconds(4);

    // An open circuit lets one request try its endpoint again after this cool-down (production: 30 s).
    public static readonly TimeSpan CircuitOpenDuration = TimeSpan.FromSeconds(4);

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("gateway")
            .WithEnvironment("Credits__HoldLifetime", HoldLifetime.ToString("c"))
            .WithEnvironment("Upstreams__Timeouts__FirstToken", FirstTokenTimeout.ToString("c"))
            .WithEnvironment("Routing__CircuitBreaker__OpenDuration", CircuitOpenDuration.ToString("c"));
        builder.CreateResourceBuilder<ProjectResource>("billing")
            .WithEnvironment("UsageConsumer__ClaimAfter", "00:00:02")
            .WithEnvironment("RedisState__CheckInterval", "00:00:01");
    }

    /// <summary>Stops a resource the way an operator would (the dashboard's stop command) and waits until it has.</summary>
    public async Task StopResourceAsync(string name)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, timeout.Token).WaitAsync(timeout.Token);
        Assert.True(result.Success, $"stopping {name}: {result.Message}");
        await App.ResourceNotifications.WaitForResourceAsync(name, [KnownResourceStates.Exited, KnownResourceStates.Finished], timeout.Token)
            .WaitAsync(timeout.Token);
    }

    /// <summary>Stops Redis and waits until it no longer accepts connections (the resource reports stopped a little earlier).</summary>
    public async Task StopRedisAsync()
    {
        var connectionString = await App.GetConnectionStringAsync("redis");
        await StopResourceAsync("redis");
        using var timeout = new CancellationTokenSource(CommandTimeout);
        while (true)
        {
            try
            {
                await using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{connectionString},abortConnect=true,connectTimeout=500");
            }
            catch (StackExchange.Redis.RedisConnectionException)
            {
                return;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>The process id of a running executable or project resource, as the dashboard shows it.</summary>
    public int ProcessIdOf(string name)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(name, out var current), $"{name} has no state");
        var pid = current.Snapshot.Properties.Single(property => property.Name == ProcessIdProperty).Value;
        return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Kills a resource's process without warning, as a crash or an OOM kill would.</summary>
    public async Task KillResourceAsync(string name)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        using var process = Process.GetProcessById(ProcessIdOf(name));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceAsync(name, [KnownResourceStates.Exited, KnownResourceStates.Finished], timeout.Token)
            .WaitAsync(timeout.Token);
    }

    /// <summary>Starts a stopped resource again and waits until it reports healthy.</summary>
    public async Task StartResourceAsync(string name)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, timeout.Token).WaitAsync(timeout.Token);
        Assert.True(result.Success, $"starting {name}: {result.Message}");
        await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token).WaitAsync(timeout.Token);
    }
}

// xUnit needs the collection definition in the test assembly itself.
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "faults";
}
