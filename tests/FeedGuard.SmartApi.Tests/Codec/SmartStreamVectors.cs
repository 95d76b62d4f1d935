using System.Globalization;

namespace FeedGuard.SmartApi.Tests.Codec;

/// <summary>The constructed test vectors of protocols §5.1–5.3, byte for byte.</summary>
internal static class SmartStreamVectors
{
    public const string Ltp = """
        0000: 01 01 33 30 34 35 00 00 00 00 00 00 00 00 00 00
        0010: 00 00 00 00 00 00 00 00 00 00 00 c0 da 1a 01 00
        0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
        0030: 00 00 00
        """;

    public const string Quote = """
        0000: 02 01 33 30 34 35 00 00 00 00 00 00 00 00 00 00
        0010: 00 00 00 00 00 00 00 00 00 00 00 c1 da 1a 01 00
        0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
        0030: 00 00 00 19 00 00 00 00 00 00 00 db e2 00 00 00
        0040: 00 00 00 87 d6 12 00 00 00 00 00 00 00 00 00 54
        0050: e1 1b 41 00 00 00 00 b4 56 18 41 c8 e1 00 00 00
        0060: 00 00 00 ee e3 00 00 00 00 00 00 64 e1 00 00 00
        0070: 00 00 00 5a e1 00 00 00 00 00 00
        """;

    public const string SnapQuote = """
        0000: 03 02 35 37 39 32 30 00 00 00 00 00 00 00 00 00
        0010: 00 00 00 00 00 00 00 00 00 00 00 40 9e 00 00 00
        0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
        0030: 00 00 00 ee 02 00 00 00 00 00 00 db e2 00 00 00
        0040: 00 00 00 a0 a8 25 00 00 00 00 00 00 00 00 00 44
        0050: d6 32 41 00 00 00 00 a0 23 2e 41 c8 e1 00 00 00
        0060: 00 00 00 ee e3 00 00 00 00 00 00 64 e1 00 00 00
        0070: 00 00 00 5a e1 00 00 00 00 00 00 8f 88 54 65 00
        0080: 00 00 00 3f b4 96 00 00 00 00 00 00 00 00 00 00
        0090: 00 00 00 01 00 ee 02 00 00 00 00 00 00 5d e3 00
        00a0: 00 00 00 00 00 03 00 01 00 dc 05 00 00 00 00 00
        00b0: 00 58 e3 00 00 00 00 00 00 07 00 01 00 e1 00 00
        00c0: 00 00 00 00 00 53 e3 00 00 00 00 00 00 01 00 01
        00d0: 00 b8 0b 00 00 00 00 00 00 4e e3 00 00 00 00 00
        00e0: 00 0c 00 01 00 c2 01 00 00 00 00 00 00 49 e3 00
        00f0: 00 00 00 00 00 02 00 00 00 2c 01 00 00 00 00 00
        0100: 00 67 e3 00 00 00 00 00 00 02 00 00 00 b0 04 00
        0110: 00 00 00 00 00 6c e3 00 00 00 00 00 00 05 00 00
        0120: 00 4b 00 00 00 00 00 00 00 71 e3 00 00 00 00 00
        0130: 00 01 00 00 00 ca 08 00 00 00 00 00 00 76 e3 00
        0140: 00 00 00 00 00 09 00 00 00 58 02 00 00 00 00 00
        0150: 00 7b e3 00 00 00 00 00 00 04 00 1e fa 00 00 00
        0160: 00 00 00 a6 cc 00 00 00 00 00 00 0e f6 00 00 00
        0170: 00 00 00 3a d4 00 00 00 00 00 00
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
}
