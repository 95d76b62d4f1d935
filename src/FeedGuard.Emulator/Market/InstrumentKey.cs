namespace FeedGuard.Emulator.Market;

/// <summary>An instrument as a broker feed names it: exchange type code plus exchange token.</summary>
internal readonly record struct InstrumentKey(byte ExchangeType, string Token)
{
    public override string ToString() => $"{ExchangeType}:{Token}";
}
