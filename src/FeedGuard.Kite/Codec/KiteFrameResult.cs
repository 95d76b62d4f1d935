namespace FeedGuard.Kite.Codec;

/// <summary>What <see cref="KiteTickDecoder.DecodeFrame"/> found in one binary message.</summary>
/// <param name="Ticks">How many ticks were written to the front of the caller's buffer.</param>
/// <param name="Malformed">How many packets (or frame-level problems) were skipped.</param>
/// <param name="FirstProblem">The first problem met, or <see cref="KiteDecodeStatus.Ok"/> when none.</param>
/// <param name="Heartbeat">True for the ticker's 1-byte idle heartbeat (no ticks, not malformed).</param>
public readonly record struct KiteFrameResult(int Ticks, int Malformed, KiteDecodeStatus FirstProblem, bool Heartbeat);
