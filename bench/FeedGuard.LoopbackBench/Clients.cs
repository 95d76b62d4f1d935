using System.Net.WebSockets;
using System.Reactive.Linq;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using Websocket.Client;

namespace FeedGuard.LoopbackBench;

/// <summary>A way of receiving the blaster's ticks; each run gets a fresh connection.</summary>
internal interface IClient
{
    string Name { get; }

    /// <summary>Connects, receives until the recorder saw the end marker (or the timeout), and disconnects.</summary>
    Task<string> RunAsync(Uri url, Scenario scenario, Recorder recorder, TimeSpan timeout);
}

/// <summary>Decodes every 51-byte packet of one message with FeedGuard's decoder and records it inline.</summary>
internal static class PacketSlicer
{
    public static int Decode(ReadOnlySpan<byte> message, InstrumentRegistry registry, Recorder recorder)
    {
        var bad = 0;
        var now = DateTimeOffset.UtcNow;
        for (var offset = 0; offset + Wire.PacketSize <= message.Length; offset += Wire.PacketSize)
        {
            if (SmartStreamDecoder.Decode(message.Slice(offset, Wire.PacketSize), registry, now, out var tick) == SmartStreamDecodeStatus.Ok)
            {
                recorder.OnTick(tick);
            }
            else
            {
                bad++;
            }
        }

        return bad;
    }
}

/// <summary>(a) The floor: a plain ClientWebSocket loop with one reused buffer, decoding inline.</summary>
internal sealed class FloorClient : IClient
{
    public string Name => "a: ClientWebSocket floor";

    public async Task<string> RunAsync(Uri url, Scenario scenario, Recorder recorder, TimeSpan timeout)
    {
        var registry = new InstrumentRegistry(Wire.Keys(scenario.Instruments));
        using var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(url, cts.Token).ConfigureAwait(false);
        await socket.SendAsync("{\"action\":1}"u8.ToArray(), WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var bad = 0;
        try
        {
            while (!recorder.Done.IsCompleted)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(filled), cts.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                bad += PacketSlicer.Decode(buffer.AsSpan(0, filled), registry, recorder);
                filled = 0;
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return "timed out";
        }

        return bad == 0 ? "" : $"{bad} undecodable";
    }
}

/// <summary>(b) Websocket.Client 5.5.1: its receive loop and Rx stream, the same decode in the handler.</summary>
internal sealed class WebsocketClientClient : IClient
{
    public string Name => "b: Websocket.Client 5.5.1";

    public async Task<string> RunAsync(Uri url, Scenario scenario, Recorder recorder, TimeSpan timeout)
    {
        var registry = new InstrumentRegistry(Wire.Keys(scenario.Instruments));
        var bad = 0;
        using var client = new WebsocketClient(url)
        {
            IsReconnectionEnabled = false,
            ReconnectTimeout = null,
        };
        using var subscription = client.MessageReceived
            .Where(m => m.MessageType == WebSocketMessageType.Binary)
            .Subscribe(m => bad += PacketSlicer.Decode(m.Binary, registry, recorder));
        await client.StartOrFail().ConfigureAwait(false);
        client.Send("{\"action\":1}");
        var finished = await Task.WhenAny(recorder.Done, Task.Delay(timeout)).ConfigureAwait(false) == recorder.Done;
        await client.Stop(WebSocketCloseStatus.NormalClosure, "done").ConfigureAwait(false);
        return !finished ? "timed out" : bad == 0 ? "" : $"{bad} undecodable";
    }
}
