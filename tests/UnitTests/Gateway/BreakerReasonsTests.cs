using System.Net.Http;
using System.Net.Sockets;
using Gateway.Api.Routing;

namespace UnitTests.Gateway;

public class BreakerReasonsTests
{
    [Fact]
    public void Reasons_name_the_kind_of_failure_and_never_carry_upstream_text()
    {
        Assert.Equal("HTTP 503", BreakerReasons.Of(503));
        Assert.Equal("connection reset", BreakerReasons.Of(new HttpRequestException("secret upstream text", new IOException("x", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.Equal("connection refused", BreakerReasons.Of(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("connection reset", BreakerReasons.Of(new HttpRequestException(HttpRequestError.ResponseEnded, "secret upstream text")));
        Assert.Equal("unreachable", BreakerReasons.Of(new HttpRequestException("secret upstream text")));
        Assert.Equal("timed out before the first token", BreakerReasons.WithoutProvider("DeepInfra timed out before the first token", "DeepInfra"));
    }
}
