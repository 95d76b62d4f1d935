using System.Globalization;

namespace FeedGuard.Kite.Tests.Codec;

/// <summary>The constructed Kite test vectors of protocols §5.5–5.8, byte for byte.</summary>
internal static class KiteVectors
{
    /// <summary>§5.5: one ltp packet, CDS token 412931, 83.2525 (÷10^7).</summary>
    public const string LtpCds = """
        0000: 00 01 00 08 00 06 4d 03 31 9f 52 c8
        """;

    /// <summary>§5.6: one quote packet, NSE token 408065.</summary>
    public const string QuoteNse = """
        0000: 00 01 00 2c 00 06 3a 01 00 02 66 dd 00 00 00 0c
        0010: 00 02 65 69 00 12 61 57 00 03 d0 ff 00 05 56 b4
        0020: 00 02 64 f3 00 02 67 3c 00 02 61 c9 00 02 64 6c
        """;

    /// <summary>§5.7: one full packet, NFO token 13368322.</summary>
    public const string FullNfo = """
        0000: 00 01 00 b8 00 cb fc 02 00 21 cc 85 00 00 00 32
        0010: 00 21 b8 12 00 45 b2 f8 00 01 e2 3a 00 01 81 c8
        0020: 00 21 89 f0 00 21 e3 c8 00 21 80 5e 00 21 96 e8
        0030: 65 54 88 8f 00 9c 2a 84 00 a0 37 a0 00 95 89 40
        0040: 65 54 88 90 00 00 01 f4 00 21 cc 58 00 04 00 00
        0050: 00 00 02 ee 00 21 cc 26 00 06 00 00 00 00 00 64
        0060: 00 21 cb f4 00 01 00 00 00 00 04 e2 00 21 cb c2
        0070: 00 09 00 00 00 00 00 32 00 21 cb 90 00 01 00 00
        0080: 00 00 00 fa 00 21 cc bc 00 02 00 00 00 00 02 58
        0090: 00 21 cc ee 00 05 00 00 00 00 03 84 00 21 cd 20
        00a0: 00 07 00 00 00 00 00 96 00 21 cd 52 00 01 00 00
        00b0: 00 00 07 d0 00 21 cd 84 00 0b 00 00
        """;

    /// <summary>§5.8: index full packet, NIFTY 50 token 256265 (segment 9), change −86.25.</summary>
    public const string IndexFull = """
        0000: 00 01 00 20 00 03 e9 09 00 1d f6 05 00 1e 22 e2
        0010: 00 1d e3 b8 00 1e 0f 50 00 1e 17 b6 ff ff de 4f
        0020: 65 54 88 90
        """;

    /// <summary>§5.8: two packets, ltp 408065 then a 28-byte index quote for 256265.</summary>
    public const string MixedLtpIndexQuote = """
        0000: 00 02 00 08 00 06 3a 01 00 02 66 dd 00 1c 00 03
        0010: e9 09 00 1d f6 05 00 1e 22 e2 00 1d e3 b8 00 1e
        0020: 0f 50 00 1e 17 b6 ff ff de 4f
        """;

    /// <summary>Parses a hex dump: an offset label, a colon, then hex bytes per line.</summary>
    public static byte[] Parse(string dump)
    {
        var bytes = new List<byte>();
        foreach (var line in dump.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var hex in line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                bytes.Add(byte.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return [.. bytes];
    }

    /// <summary>The packet inside a one-packet frame (without the 4 header bytes).</summary>
    public static byte[] Packet(string dump) => Parse(dump)[4..];

    /// <summary>Frames packets: count, then each with its big-endian length.</summary>
    public static byte[] Frame(params byte[][] packets)
    {
        var frame = new List<byte> { (byte)(packets.Length >> 8), (byte)packets.Length };
        foreach (var packet in packets)
        {
            frame.Add((byte)(packet.Length >> 8));
            frame.Add((byte)packet.Length);
            frame.AddRange(packet);
        }

        return [.. frame];
    }
}
