using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeedGuard.Instruments;

/// <summary>
/// Writes an instrument as its <c>EXCHANGE:TOKEN</c> name. Instruments are interned by a feed's
/// registry, so JSON never creates one: reading is refused.
/// </summary>
public sealed class InstrumentJsonConverter : JsonConverter<Instrument>
{
    /// <inheritdoc />
    public override Instrument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException("Instruments are written as EXCHANGE:TOKEN and looked up in a feed's registry; read an InstrumentKey instead.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Instrument value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Name);
    }
}
