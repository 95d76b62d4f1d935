namespace FeedGuard.Instruments;

/// <summary>
/// An exchange segment, named as Indian brokers name it in instrument keys (<c>NSE:3045</c>).
/// </summary>
/// <remarks>
/// Index instruments belong to the exchange that publishes them (NIFTY 50 is <see cref="Nse"/>);
/// brokers that keep a separate index segment map it in their codec.
/// </remarks>
public enum Exchange : byte
{
    /// <summary>NSE cash market.</summary>
    Nse = 1,

    /// <summary>NSE futures and options.</summary>
    Nfo = 2,

    /// <summary>NSE currency derivatives.</summary>
    Cds = 3,

    /// <summary>BSE cash market.</summary>
    Bse = 4,

    /// <summary>BSE futures and options.</summary>
    Bfo = 5,

    /// <summary>BSE currency derivatives.</summary>
    Bcd = 6,

    /// <summary>MCX commodity derivatives.</summary>
    Mcx = 7,

    /// <summary>MCX-SX (Metropolitan Stock Exchange).</summary>
    Mcxsx = 8,

    /// <summary>NCDEX commodity derivatives.</summary>
    Ncdex = 9,
}
