namespace FeedGuard.Nats.Consuming;

/// <summary>Where a new consumer starts reading the stream.</summary>
public enum NatsConsumerStart
{
    /// <summary>Every tick the stream still holds, oldest first.</summary>
    All = 0,

    /// <summary>Only ticks published from now on.</summary>
    New = 1,

    /// <summary>The last tick of each instrument, then everything new: a snapshot to start from.</summary>
    LastPerInstrument = 2,
}
