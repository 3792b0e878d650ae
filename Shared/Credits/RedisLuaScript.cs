using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace OpenRouterClone.Shared.Credits;

/// <summary>
/// A Lua script called by its SHA-1 (EVALSHA), loaded again when Redis does not know it (restarted or flushed).
/// Passing the script's text instead makes the client hash and compare the whole text on every call to find its
/// SHA-1 (about 2% of the gateway's CPU with two scripts per request).
/// </summary>
public sealed class RedisLuaScript(string source)
{
    private readonly byte[] _hash = SHA1.HashData(Encoding.UTF8.GetBytes(source));

    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_hash, keys, values);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // By its text: the client loads it (EVAL) and the next call by hash finds it.
            return await database.ScriptEvaluateAsync(source, keys, values);
        }
    }
}
