using System.Text.Json;
using FeedGuard.Emulator.Market;

namespace FeedGuard.Emulator.SmartApi;

/// <summary>A parsed SmartStream subscribe/unsubscribe request (protocols §1.3).</summary>
internal sealed class SubscriptionRequest
{
    public const string InvalidPayloadCode = "E1001";
    public const string InvalidPayloadMessage = "Invalid Request Payload.";
    public const string LimitExceededCode = "E1002";
    public const string LimitExceededMessage = "Invalid Request. Subscription Limit Exceeded.";

    private SubscriptionRequest(bool subscribe, byte mode, List<InstrumentKey> instruments)
    {
        Subscribe = subscribe;
        Mode = mode;
        Instruments = instruments;
    }

    public bool Subscribe { get; }

    public byte Mode { get; }

    /// <summary>Distinct instruments named by the request, in request order.</summary>
    public List<InstrumentKey> Instruments { get; }

    /// <summary>
    /// Parses a request. On failure returns null; <paramref name="correlationId"/> is the
    /// request's id when it could be read (for the E1001 echo), else "".
    /// </summary>
    public static SubscriptionRequest? TryParse(ReadOnlySpan<byte> utf8, out string correlationId)
    {
        correlationId = "";
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("correlationID", out var cid) && cid.ValueKind == JsonValueKind.String)
            {
                correlationId = cid.GetString() ?? "";
            }

            if (!TryGetInt(root, "action", out var action) || action is not (0 or 1)
                || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
                || !TryGetInt(parameters, "mode", out var mode) || mode is < 1 or > 3
                || !parameters.TryGetProperty("tokenList", out var tokenList) || tokenList.ValueKind != JsonValueKind.Array
                || tokenList.GetArrayLength() == 0)
            {
                return null;
            }

            var seen = new HashSet<InstrumentKey>();
            var instruments = new List<InstrumentKey>();
            foreach (var group in tokenList.EnumerateArray())
            {
                if (group.ValueKind != JsonValueKind.Object
                    || !TryGetInt(group, "exchangeType", out var exchangeType) || !ExchangeTypes.IsValid(exchangeType)
                    || !group.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                foreach (var token in tokens.EnumerateArray())
                {
                    var text = token.ValueKind == JsonValueKind.String ? token.GetString() : null;
                    if (string.IsNullOrEmpty(text) || text.Length > SmartStreamEncoder.TokenFieldSize || !IsPrintableAscii(text))
                    {
                        return null;
                    }

                    var key = new InstrumentKey((byte)exchangeType, text);
                    if (seen.Add(key))
                    {
                        instruments.Add(key);
                    }
                }
            }

            return new SubscriptionRequest(action == 1, (byte)mode, instruments);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] ErrorFrame(string correlationId, string code, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("correlationID", correlationId);
            writer.WriteString("errorCode", code);
            writer.WriteString("errorMessage", message);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool TryGetInt(JsonElement parent, string name, out long value)
    {
        value = 0;
        return parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }

    private static bool IsPrintableAscii(string s)
    {
        foreach (var c in s)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
