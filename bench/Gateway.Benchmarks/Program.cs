using BenchmarkDotNet.Running;

namespace Gateway.Benchmarks;

// dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*' [--job short]
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
