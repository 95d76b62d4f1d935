using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FeedGuard.Emulator.Market;

namespace FeedGuard.Emulator.Kite;

/// <content>Requests: <c>{"a":"subscribe"|"unsubscribe","v":[tokens]}</c> and <c>{"a":"mode","v":[mode,[tokens]]}</c> (protocols §2.2).</content>
internal sealed partial class KiteTickerSession
{
    private static readonly JsonWriterOptions TextOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _subscriptionsGate = new();
    private readonly Dictionary<uint, Subscription> _subscriptions = [];
    private Subscription[] _published = [];

    /// <summary>
    /// One subscribed token. <see cref="Mode"/> and <see cref="Force"/> are set by the receive
    /// loop; <see cref="LastSentSequence"/> belongs to the writer.
    /// </summary>
    private sealed class Subscription(uint token, Instrument? instrument)
    {
        public uint Token { get; } = token;

        /// <summary>Null for a token outside segments 1–9: accepted, counted, never ticks.</summary>
        public Instrument? Instrument { get; } = instrument;

        public volatile int Mode = (int)KiteTickMode.Quote;

        /// <summary>1 when the writer must send the current state even if it has not changed (new subscription, new mode).</summary>
        public int Force = 1;

        public long LastSentSequence = -1;
    }

    /// <summary>Builds <c>{"type":…,"data":"…"}</c> with the text as written (no <c>\u0027</c> for an apostrophe).</summary>
    public static byte[] TextMessage(string type, string data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, TextOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("data", data);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void HandleRequest(ReadOnlySpan<byte> json)
    {
        // Requests the real server would not understand are ignored (its reaction is undocumented).
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("a", out var action) || action.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("v", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            switch (action.GetString())
            {
                case "subscribe":
                    Subscribe(Tokens(value));
                    break;
                case "unsubscribe":
                    Unsubscribe(Tokens(value));
                    break;
                case "mode" when value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.String && value[1].ValueKind == JsonValueKind.Array:
                    if (TryParseMode(value[0].GetString(), out var mode))
                    {
                        SetMode(mode, Tokens(value[1]));
                    }

                    break;
            }
        }
        catch (JsonException)
        {
        }
    }

    private void Subscribe(List<uint> tokens)
    {
        var limit = _options.MaxInstrumentsPerSocket;
        lock (_subscriptionsGate)
        {
            var added = tokens.Count(t => !_subscriptions.ContainsKey(t));
            if (_subscriptions.Count + added > limit)
            {
                // The connection stays up; the new subscriptions fail, existing ones keep ticking.
                Runtime.Counters.RequestError();
                Log.RequestRejected(Runtime.Logger, Broker, Id, "instrument limit");
                EnqueueText(TextMessage("error", string.Create(CultureInfo.InvariantCulture, $"Can't subscribe to more than {limit} instruments.")));
                return;
            }

            foreach (var token in tokens)
            {
                if (!_subscriptions.ContainsKey(token))
                {
                    var instrument = KiteSymbolMap.TryGetKey(token, out var key) ? Runtime.Market.GetOrCreate(key) : null;
                    _subscriptions[token] = new Subscription(token, instrument);
                }
            }

            Runtime.Counters.AddSubscriptions(added);
            PublishLocked();
        }
    }

    private void Unsubscribe(List<uint> tokens)
    {
        lock (_subscriptionsGate)
        {
            var removed = 0;
            foreach (var token in tokens)
            {
                if (_subscriptions.Remove(token))
                {
                    removed++;
                }
            }

            Runtime.Counters.AddSubscriptions(-removed);
            PublishLocked();
        }
    }

    private void SetMode(KiteTickMode mode, List<uint> tokens)
    {
        lock (_subscriptionsGate)
        {
            foreach (var token in tokens)
            {
                // A mode request for a token that is not subscribed has no effect.
                if (_subscriptions.TryGetValue(token, out var subscription))
                {
                    subscription.Mode = (int)mode;
                    Volatile.Write(ref subscription.Force, 1);
                }
            }
        }
    }

    private void UnsubscribeAll()
    {
        lock (_subscriptionsGate)
        {
            Runtime.Counters.AddSubscriptions(-_subscriptions.Count);
            _subscriptions.Clear();
            PublishLocked();
        }
    }

    private void PublishLocked() => Volatile.Write(ref _published, [.. _subscriptions.Values]);

    /// <summary>Distinct tokens in request order; entries that are not whole numbers in uint32 range are skipped (strings do not work on the real server either).</summary>
    private static List<uint> Tokens(JsonElement array)
    {
        var tokens = new List<uint>();
        var seen = new HashSet<uint>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetUInt32(out var token) && seen.Add(token))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    private static bool TryParseMode(string? text, out KiteTickMode mode)
    {
        mode = text switch
        {
            "ltp" => KiteTickMode.Ltp,
            "quote" => KiteTickMode.Quote,
            "full" => KiteTickMode.Full,
            _ => 0,
        };
        return mode != 0;
    }
}
