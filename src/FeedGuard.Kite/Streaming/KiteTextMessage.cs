using System.Globalization;
using System.Text;
using System.Text.Json;
using FeedGuard.Sources;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// Reads the ticker's text frames (protocols §2.3): a JSON object with <c>type</c> =
/// <c>error</c> (data: a string), <c>message</c> (data: a string) or <c>order</c> (data: the order
/// postback). Anything else is not a Kite text frame. Texts are bounded and free of credentials.
/// </summary>
internal static class KiteTextMessage
{
    private const int MaxText = 200;

    /// <summary>Reads <paramref name="utf8"/>; false when it is not a Kite text frame.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, KiteCredentials credentials, out SourceMessageKind kind, out string text)
    {
        kind = default;
        text = "";
        if (utf8.IsEmpty || utf8[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            root.TryGetProperty("data", out var data);
            switch (type.GetString())
            {
                case "error":
                    kind = SourceMessageKind.Error;
                    text = Clean(AsText(data), credentials);
                    return true;
                case "message":
                    kind = SourceMessageKind.Notice;
                    text = Clean(AsText(data), credentials);
                    return true;
                case "order":
                    kind = SourceMessageKind.OrderUpdate;
                    text = Clean(OrderSummary(data), credentials);
                    return true;
                default:
                    return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The postback is large and personal (account, tags); events get the part an operator acts on.
    private static string OrderSummary(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return "order update";
        }

        var text = new StringBuilder("order");
        foreach (var name in (ReadOnlySpan<string>)["order_id", "status", "transaction_type"])
        {
            if (Field(order, name) is { Length: > 0 } value)
            {
                text.Append(' ').Append(value);
            }
        }

        if (Field(order, "tradingsymbol") is { Length: > 0 } symbol)
        {
            text.Append(' ').Append(Field(order, "exchange") is { Length: > 0 } exchange ? exchange + ":" + symbol : symbol);
        }

        if (Field(order, "filled_quantity") is { } filled && Field(order, "quantity") is { } quantity)
        {
            text.Append(CultureInfo.InvariantCulture, $" filled {filled}/{quantity}");
        }

        if (Field(order, "status_message") is { Length: > 0 } message)
        {
            text.Append(": ").Append(message);
        }

        return text.ToString();
    }

    private static string? Field(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string AsText(JsonElement data) => data.ValueKind switch
    {
        JsonValueKind.String => data.GetString() ?? "",
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        _ => data.GetRawText(),
    };

    private static string Clean(string text, KiteCredentials credentials)
    {
        text = credentials.Redact(text);
        return text.Length <= MaxText ? text : text[..MaxText] + "…";
    }
}
