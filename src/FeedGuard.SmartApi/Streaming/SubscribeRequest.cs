using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>Builds SmartStream subscribe and unsubscribe requests (protocols §1.3).</summary>
internal static class SubscribeRequest
{
    /// <summary>The SmartStream mode for a feed mode: LTP 1, Quote 2, Full → SnapQuote 3.</summary>
    public static byte ToWireMode(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => 1,
        FeedMode.Quote => 2,
        FeedMode.Full => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown feed mode."),
    };

    /// <summary>
    /// The UTF-8 JSON text frame, tokens grouped by exchangeType in order of first appearance:
    /// <c>{"correlationID":"…","action":1,"params":{"mode":1,"tokenList":[{"exchangeType":1,"tokens":["3045"]}]}}</c>.
    /// </summary>
    /// <param name="correlationId">Up to 10 alphanumeric characters, echoed back in error frames.</param>
    /// <param name="subscribe">True to subscribe (action 1), false to unsubscribe (action 0).</param>
    /// <param name="mode">The wire mode, 1 to 3.</param>
    /// <param name="instruments">Instruments on exchanges SmartAPI serves.</param>
    public static byte[] Build(string correlationId, bool subscribe, byte mode, IReadOnlyList<Instrument> instruments)
    {
        var groups = new List<(byte ExchangeType, List<string> Tokens)>();
        foreach (var instrument in instruments)
        {
            if (!SmartApiExchanges.TryToWire(instrument.Exchange, out var exchangeType))
            {
                throw new ArgumentException($"SmartAPI does not serve {instrument.Exchange.ToName()} ({instrument.Name}).", nameof(instruments));
            }

            var group = groups.FindIndex(g => g.ExchangeType == exchangeType);
            if (group < 0)
            {
                groups.Add((exchangeType, [instrument.Token]));
            }
            else
            {
                groups[group].Tokens.Add(instrument.Token);
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("correlationID", correlationId);
            writer.WriteNumber("action", subscribe ? 1 : 0);
            writer.WriteStartObject("params");
            writer.WriteNumber("mode", mode);
            writer.WriteStartArray("tokenList");
            foreach (var (exchangeType, tokens) in groups)
            {
                writer.WriteStartObject();
                writer.WriteNumber("exchangeType", exchangeType);
                writer.WriteStartArray("tokens");
                foreach (var token in tokens)
                {
                    writer.WriteStringValue(token);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
