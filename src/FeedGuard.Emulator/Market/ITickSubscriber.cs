namespace FeedGuard.Emulator.Market;

/// <summary>A socket that receives the packets of the instruments it subscribed.</summary>
internal interface ITickSubscriber
{
    /// <summary>
    /// Called on the market's pump for every update of a subscribed instrument and mode. Must
    /// not block: implementations queue the packet (bounded) and return.
    /// </summary>
    void Deliver(Instrument instrument, byte mode, byte[] packet, long sequence, long exchangeTimeMs, long lastTradedPrice);
}
