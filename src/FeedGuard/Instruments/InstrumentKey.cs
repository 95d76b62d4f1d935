using System.Diagnostics.CodeAnalysis;

namespace FeedGuard.Instruments;

/// <summary>
/// What a user writes to name an instrument: exchange, broker token and, optionally, a trading
/// symbol. Text form <c>EXCHANGE:TOKEN</c> or <c>EXCHANGE:TOKEN:SYMBOL</c>, e.g. <c>NSE:3045</c>
/// or <c>NSE:408065:INFY</c>.
/// </summary>
/// <param name="Exchange">The exchange segment.</param>
/// <param name="Token">The broker's instrument token (digits and letters, no separators).</param>
/// <param name="Symbol">The trading symbol, where a broker needs it (Kite polls by symbol).</param>
public sealed record InstrumentKey(Exchange Exchange, string Token, string? Symbol = null)
{
    /// <summary>Parses <c>EXCHANGE:TOKEN[:SYMBOL]</c>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static InstrumentKey Parse(string text)
    {
        return TryParse(text, out var key, out var error) ? key : throw new FormatException(error);
    }

    /// <summary>Parses <c>EXCHANGE:TOKEN[:SYMBOL]</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out InstrumentKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "An instrument must be written EXCHANGE:TOKEN (for example NSE:3045); got an empty value.";
            return false;
        }

        var parts = text.Trim().Split(':', 3);
        if (parts.Length < 2)
        {
            error = $"Instrument '{text}' must be written EXCHANGE:TOKEN (for example NSE:3045).";
            return false;
        }

        if (!ExchangeNames.TryParse(parts[0].Trim(), out var exchange))
        {
            error = $"Instrument '{text}' names unknown exchange '{parts[0]}'; allowed: {ExchangeNames.AllowedValues}.";
            return false;
        }

        var token = parts[1].Trim();
        if (!IsToken(token))
        {
            error = $"Instrument '{text}' has token '{token}'; a token is 1 to 24 ASCII letters or digits.";
            return false;
        }

        var symbol = parts.Length == 3 ? parts[2].Trim() : null;
        if (symbol is { Length: 0 })
        {
            error = $"Instrument '{text}' has an empty symbol after the second ':'.";
            return false;
        }

        key = new InstrumentKey(exchange.Value, token, symbol);
        error = null;
        return true;
    }

    /// <summary>
    /// Why this key cannot name an instrument, or null when it can. Parsing guarantees a good key; a
    /// key built with the constructor (in code, or by a configuration binder) is checked here.
    /// </summary>
    internal string? Problem()
    {
        if (!Enum.IsDefined(Exchange))
        {
            return $"names unknown exchange {(int)Exchange}; allowed: {ExchangeNames.AllowedValues}.";
        }

        if (!IsToken(Token))
        {
            return $"has token '{Token}'; a token is 1 to 24 ASCII letters or digits.";
        }

        return Symbol is not null && string.IsNullOrWhiteSpace(Symbol) ? "has an empty symbol." : null;
    }

    /// <summary>Two keys name the same instrument when exchange and token match; the symbol is a label.</summary>
    public bool Equals(InstrumentKey? other) => other is not null && Exchange == other.Exchange && Token == other.Token;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Exchange, Token);

    /// <summary>The text form, <c>EXCHANGE:TOKEN</c> (plus <c>:SYMBOL</c> when set).</summary>
    public override string ToString() => Symbol is null ? $"{Exchange.ToName()}:{Token}" : $"{Exchange.ToName()}:{Token}:{Symbol}";

    private static bool IsToken(string? token) => token is { Length: > 0 and <= 24 } && token.All(char.IsAsciiLetterOrDigit);
}
