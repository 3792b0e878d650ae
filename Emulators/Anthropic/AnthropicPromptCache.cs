using System.Collections.Concurrent;

namespace Emulators.Anthropic;

/// <summary>A cache_control breakpoint: the prompt tokens up to and including its block, and what they hash to.</summary>
public sealed record CacheBreakpoint(int PrefixTokens, string Key, TimeSpan TimeToLive);

/// <summary>Cached prompt tokens as Anthropic reports them.</summary>
public readonly record struct CacheUsage(int CreationTokens, int ReadTokens)
{
    public static CacheUsage None => default;
}

/// <summary>
/// Anthropic's prompt cache, emulated in memory. Anthropic caches only at explicit cache_control breakpoints
/// whose prefix has at least <see cref="MinimumCacheableTokens"/> tokens: the longest prefix seen within its
/// time to live (5 minutes, or 1 hour with ttl "1h") is read from the cache, and the rest of the prompt up to
/// the last breakpoint is written to it. Hits refresh the time to live, as Anthropic's do. So the first request
/// with a long cached system prompt reports cache_creation_input_tokens, and a repeat reports
/// cache_read_input_tokens.
/// </summary>
public sealed class AnthropicPromptCache(TimeProvider timeProvider)
{
    public const int MinimumCacheableTokens = 1024;

    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public CacheUsage Use(IReadOnlyList<CacheBreakpoint> breakpoints)
    {
        var eligible = breakpoints.Where(breakpoint => breakpoint.PrefixTokens >= MinimumCacheableTokens).ToList();
        if (eligible.Count == 0)
        {
            return CacheUsage.None;
        }

        var now = timeProvider.GetUtcNow();
        var read = eligible
            .Where(breakpoint => _expiries.TryGetValue(breakpoint.Key, out var expiry) && expiry > now)
            .Select(breakpoint => breakpoint.PrefixTokens)
            .DefaultIfEmpty(0)
            .Max();
        var written = Math.Max(0, eligible.Max(breakpoint => breakpoint.PrefixTokens) - read);

        foreach (var breakpoint in eligible)
        {
            _expiries[breakpoint.Key] = now + breakpoint.TimeToLive;
        }
        if (_expiries.Count > PruneAbove)
        {
            foreach (var (key, expiry) in _expiries)
            {
                if (expiry <= now)
                {
                    _expiries.TryRemove(key, out _);
                }
            }
        }

        return new CacheUsage(written, read);
    }
}
