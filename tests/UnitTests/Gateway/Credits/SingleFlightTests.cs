using Gateway.Api.Credits;

namespace UnitTests.Gateway.Credits;

public class SingleFlightTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Callers_that_arrive_while_a_run_is_going_share_it_and_the_next_call_runs_again()
    {
        var flight = new SingleFlight<string, int>();
        var runs = 0;
        var release = new TaskCompletionSource();
        async Task<int> Load(string key)
        {
            var run = Interlocked.Increment(ref runs);
            await release.Task;
            return run;
        }

        var burst = Enumerable.Range(0, 32).Select(_ => flight.RunAsync("acct", Load, Timeout)).ToList();
        var other = flight.RunAsync("other", Load, Timeout);
        release.SetResult();

        var results = await Task.WhenAll(burst);
        Assert.All(results, result => Assert.Equal(results[0], result));
        Assert.Equal(2, runs);
        Assert.NotEqual(results[0], await other);

        // Nothing is cached: a later call loads again.
        Assert.Equal(3, await flight.RunAsync("acct", Load, Timeout));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_shared_run_and_a_failure_reaches_every_waiter_once()
    {
        var flight = new SingleFlight<int, bool>();
        var release = new TaskCompletionSource<bool>();
        using var impatient = new CancellationTokenSource();

        var leaving = flight.RunAsync(1, _ => release.Task, impatient.Token);
        var staying = flight.RunAsync(1, _ => throw new InvalidOperationException("a second run started"), Timeout);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        release.SetResult(true);
        Assert.True(await staying);

        var failing = new TaskCompletionSource<bool>();
        var first = flight.RunAsync(1, _ => failing.Task, Timeout);
        var second = flight.RunAsync(1, _ => Task.FromResult(false), Timeout);
        failing.SetException(new HttpRequestException("billing unreachable"));
        await Assert.ThrowsAsync<HttpRequestException>(() => first);
        await Assert.ThrowsAsync<HttpRequestException>(() => second);

        // After a failure the next call tries again.
        Assert.True(await flight.RunAsync(1, _ => Task.FromResult(true), Timeout));
    }
}
