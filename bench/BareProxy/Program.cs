using Yarp.ReverseProxy.Configuration;

// A bare YARP reverse proxy: every request goes unchanged to one destination (the emulator), with no
// authentication, parsing or logging. bench/run.sh starts it with
//   BareProxy --urls http://127.0.0.1:<port> --Destination http://localhost:5084
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var destination = builder.Configuration["Destination"]
    ?? throw new InvalidOperationException("Set the upstream address with --Destination http://host:port");

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig> { ["upstream"] = new() { Address = destination } },
    }]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
