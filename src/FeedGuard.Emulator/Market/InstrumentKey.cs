namespace FeedGuard.Emulator.Market;

/// <summary>An instrument as a broker feed names it: exchange type code plus exchange token.</summary>
internal readonly record struct InstrumentKey(byte ExchangeType, string Token)
{
    /// <summary><c>"exchangeType:token"</c>, or <c>"kite:token"</c> for Kite instruments (the form <see cref="EmulatorOptions.InstrumentTicksPerSecond"/> uses).</summary>
    public override string ToString() => ExchangeTypes.IsKite(ExchangeType) ? $"kite:{Token}" : $"{ExchangeType}:{Token}";
}
