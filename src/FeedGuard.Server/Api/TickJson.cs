using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Server.Api;

/// <summary>
/// The one JSON shape of a tick, for server-sent events and JSON lines:
/// <c>{"type":"tick","instrument":"NSE:3045","exchange":"NSE","token":"3045","symbol":"SBIN","ltp":812.35,
/// "exchange_time":"…","receive_time":"…","seq":42,"source":"stream"}</c>. Prices are exact decimals.
/// </summary>
internal static class TickJson
{
    public static void Write(Utf8JsonWriter writer, in Tick tick)
    {
        var instrument = tick.Instrument;
        writer.WriteStartObject();
        writer.WriteString("type", "tick");
        writer.WriteString("instrument", instrument.Name);
        writer.WriteString("exchange", instrument.Exchange.ToName());
        writer.WriteString("token", instrument.Token);
        if (instrument.Symbol is { } symbol)
        {
            writer.WriteString("symbol", symbol);
        }
        else
        {
            writer.WriteNull("symbol");
        }

        writer.WriteNumber("ltp", tick.LastPrice);
        if (tick.ExchangeTime is { } exchangeTime)
        {
            writer.WriteString("exchange_time", exchangeTime);
        }
        else
        {
            writer.WriteNull("exchange_time");
        }

        writer.WriteString("receive_time", tick.ReceiveTime);
        if (tick.Sequence is { } sequence)
        {
            writer.WriteNumber("seq", sequence);
        }
        else
        {
            writer.WriteNull("seq");
        }

        writer.WriteString("source", Source(tick.Source));
        if (tick.Volume is { } volume)
        {
            writer.WriteNumber("volume", volume);
        }

        writer.WriteEndObject();
    }

    public static string Source(TickSource source) => source switch
    {
        TickSource.Stream => "stream",
        TickSource.Poll => "poll",
        _ => "simulated",
    };
}
