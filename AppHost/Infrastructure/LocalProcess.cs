using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AppHost.Infrastructure;

/// <summary>Small process and port helpers for running infrastructure as local executables.</summary>
public static class LocalProcess
{
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    /// <summary>
    /// A port that is free right now. Chosen fresh on every start so that a system Postgres or Redis already
    /// listening on the default port can never collide with ours.
    /// </summary>
    public static int GetFreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command to completion and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        try
        {
            using var process = Process.Start(startInfo)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{fileName} did not finish within {timeout.TotalSeconds:0} s");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // The program is not installed.
            return (-1, ex.Message);
        }
    }

    /// <summary>Finds an executable on PATH.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Prefix that drops root to the postgres user without leaving a wrapper process in between.</summary>
    public static IReadOnlyList<string> AsPostgresUser(string command, params string[] arguments)
        => IsRoot
            ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", command, .. arguments]
            : [command, .. arguments];
}
