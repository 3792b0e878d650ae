using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Emulators.Mail;

/// <summary>
/// Accepts SMTP clients on <see cref="MailSinkOptions.SmtpPort"/> and runs an <see cref="SmtpSession"/> for each,
/// a bounded number at a time. The socket is bound in <see cref="StartAsync"/>, so the port is known (and
/// connectable) before the web app reports itself started.
/// </summary>
public sealed partial class SmtpSinkService(
    MailStore store,
    IOptions<MailSinkOptions> options,
    ILogger<SmtpSinkService> logger) : BackgroundService
{
    private TcpListener? _listener;
    private SemaphoreSlim? _slots;

    /// <summary>The port actually listened on (the configured one, or the one the system chose for 0).</summary>
    public int Port { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _slots = new SemaphoreSlim(settings.MaxConnections);
        // Every interface, both IP versions where the machine has IPv6: Aspire's proxy may dial 127.0.0.1 or ::1,
        // and a container needs more than loopback. It is a development sink that relays nothing.
        try
        {
            _listener = new TcpListener(IPAddress.IPv6Any, settings.SmtpPort);
            _listener.Server.DualMode = true;
            _listener.Start();
        }
        catch (SocketException)
        {
            _listener = new TcpListener(IPAddress.Any, settings.SmtpPort);
            _listener.Start();
        }
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        LogListening(logger, Port);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        var sessions = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                sessions.RemoveAll(session => session.IsCompleted);
                sessions.Add(ServeAsync(client, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
                .ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using (client)
        {
            await Task.Yield();
            var stream = client.GetStream();
            if (!await _slots!.WaitAsync(0, stoppingToken))
            {
                await TryWriteAsync(stream, "421 4.3.2 Too many connections, try again later\r\n");
                return;
            }
            try
            {
                await new SmtpSession(stream, store, options.Value, logger).RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The client went away.
            }
            catch (Exception exception)
            {
                LogSessionFailed(logger, exception);
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    private static async Task TryWriteAsync(Stream stream, string reply)
    {
        try
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(reply));
        }
        catch (IOException)
        {
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _slots?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail sink listening for SMTP on port {Port}")]
    private static partial void LogListening(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail sink session failed")]
    private static partial void LogSessionFailed(ILogger logger, Exception exception);
}
