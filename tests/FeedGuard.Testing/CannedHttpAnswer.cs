using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FeedGuard.Testing;

/// <summary>
/// A loopback listener that reads one HTTP request head and answers it with canned bytes: lets a
/// test run the real client (a WebSocket upgrade, say) against a refusal and see what it sent.
/// </summary>
public static class CannedHttpAnswer
{
    /// <summary>
    /// Starts the listener, runs <paramref name="client"/> with its port, and returns what the
    /// client produced and the request head it sent (bounded waits).
    /// </summary>
    public static async Task<(TResult Result, string Request)> RunAsync<TResult>(string response, Func<int, Task<TResult>> client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = Task.Run(async () =>
            {
                using var accepted = await listener.AcceptTcpClientAsync();
                var stream = accepted.GetStream();
                var buffer = new byte[8192];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer);
                    if (n == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                await stream.FlushAsync();
                return request.ToString();
            });

            var result = await client(port).WaitAsync(TimeSpan.FromSeconds(10));
            return (result, await server.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago), for connects that must be refused.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
