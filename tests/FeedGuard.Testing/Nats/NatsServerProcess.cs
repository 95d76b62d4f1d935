using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeedGuard.Testing.Nats;

/// <summary>
/// A real <c>nats-server</c> with JetStream on a free loopback port and a temporary store
/// directory: started for a test, stoppable and restartable on the same port and store (an outage),
/// deleted afterwards.
/// </summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];
    private Process? _process;

    private NatsServerProcess(int port, string storeDirectory)
    {
        Port = port;
        StoreDirectory = storeDirectory;
    }

    /// <summary>The nats-server executable, or null when it is not installed.</summary>
    public static string? ExecutablePath { get; } = Candidates.FirstOrDefault(File.Exists);

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The JetStream store (kept across <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>).</summary>
    public string StoreDirectory { get; }

    /// <summary><c>nats://127.0.0.1:port</c>.</summary>
    public Uri Url => new($"nats://127.0.0.1:{Port}");

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port with a fresh store.</summary>
    public static async Task<NatsServerProcess> StartAsync()
    {
        if (ExecutablePath is null)
        {
            throw new InvalidOperationException($"nats-server is not installed (looked in {string.Join(", ", Candidates)}); `apt-get install -y nats-server` (.ci/run does).");
        }

        var store = Path.Combine(Path.GetTempPath(), "feedguard-nats-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(store);
        var server = new NatsServerProcess(FreePort(), store);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port and store (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(ExecutablePath!)
        {
            ArgumentList = { "-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", StoreDirectory },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains("Server is ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(20)));
        if (first != ready.Task)
        {
            throw new InvalidOperationException($"nats-server on port {Port} did not become ready: {string.Join(Environment.NewLine, log)}");
        }
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone; the store stays.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Stops the server and deletes its store.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(StoreDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is removed with the temp folder later; never fail a test on cleanup.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
