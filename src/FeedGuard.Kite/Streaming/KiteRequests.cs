using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Streaming;

/// <summary>Builds the ticker's text requests (protocols §2.2): <c>{"a":action,"v":value}</c> with numeric tokens.</summary>
internal static class KiteRequests
{
    /// <summary>The ticker mode for a feed mode: <c>ltp</c>, <c>quote</c> or <c>full</c>.</summary>
    public static string ModeName(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => "ltp",
        FeedMode.Quote => "quote",
        FeedMode.Full => "full",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown feed mode."),
    };

    /// <summary><c>{"a":"subscribe","v":[408065,884737]}</c>.</summary>
    public static byte[] Subscribe(IReadOnlyList<Instrument> instruments) => Build("subscribe", null, instruments);

    /// <summary><c>{"a":"mode","v":["full",[408065]]}</c>.</summary>
    public static byte[] Mode(FeedMode mode, IReadOnlyList<Instrument> instruments) => Build("mode", ModeName(mode), instruments);

    private static byte[] Build(string action, string? mode, IReadOnlyList<Instrument> instruments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("a", action);
            writer.WriteStartArray("v");
            if (mode is not null)
            {
                writer.WriteStringValue(mode);
                writer.WriteStartArray();
            }

            foreach (var instrument in instruments)
            {
                if (!KiteSegments.TryParseToken(instrument.Token, out var token))
                {
                    throw new ArgumentException($"{instrument.Name} has no numeric Kite token.", nameof(instruments));
                }

                // JSON numbers: the ticker ignores tokens sent as strings.
                writer.WriteNumberValue(token);
            }

            if (mode is not null)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
