using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>Raw loopback helpers for talking to the emulator as a SmartStream client would.</summary>
internal static class Wire
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static Task<BrokerEmulator> StartAsync(EmulatorOptions? options = null) =>
        BrokerEmulator.StartAsync(options ?? new EmulatorOptions { Seed = 42, TicksPerSecond = 20 }, CancellationToken.None);

    public static void Authorize(ClientWebSocketOptions options, SmartApiEmulatorOptions creds, bool bearer = true)
    {
        options.SetRequestHeader("Authorization", bearer ? "Bearer " + creds.JwtToken : creds.JwtToken);
        options.SetRequestHeader("x-api-key", creds.ApiKey);
        options.SetRequestHeader("x-client-code", creds.ClientCode);
        options.SetRequestHeader("x-feed-token", creds.FeedToken);
    }

    public static async Task<WsClient> OpenAsync(BrokerEmulator emulator, Action<ClientWebSocketOptions>? configure = null) =>
        new(await ConnectAsync(emulator, configure));

    public static async Task<ClientWebSocket> ConnectAsync(BrokerEmulator emulator, Action<ClientWebSocketOptions>? configure = null)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        if (configure is null)
        {
            Authorize(ws.Options, emulator.Options.SmartApi);
        }
        else
        {
            configure(ws.Options);
        }

        using var cts = new CancellationTokenSource(Bound);
        await ws.ConnectAsync(emulator.SmartStreamUrl, cts.Token);
        return ws;
    }

    public static Task SendTextAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static string Subscribe(int mode, int exchangeType, params string[] tokens)
    {
        var list = string.Join(",", tokens.Select(t => "\"" + t + "\""));
        return "{\"correlationID\":\"t1\",\"action\":1,\"params\":{\"mode\":" + mode + ",\"tokenList\":[{\"exchangeType\":" + exchangeType + ",\"tokens\":[" + list + "]}]}}";
    }

    public static string Unsubscribe(int mode, int exchangeType, params string[] tokens) =>
        Subscribe(mode, exchangeType, tokens).Replace("\"action\":1", "\"action\":0", StringComparison.Ordinal);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > Bound)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static string TokenOf(byte[] packet) => Encoding.ASCII.GetString(packet, 2, 25).TrimEnd('\0');

    public static long Int64(byte[] packet, int offset) => BitConverter.ToInt64(packet, offset);
}
