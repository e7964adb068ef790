using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>
/// Writes Antom-shaped JSON: scalars as strings, times as <c>yyyy-MM-ddTHH:mm:sszzz</c>. Text is written as Antom
/// writes it: <c>+</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c> and non-ASCII literally (System.Text.Json's default
/// encoder would write <c>+08:00</c>); only what JSON requires is escaped.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly TimeSpan _offset;

    public ResponseBody(TimeSpan offset)
    {
        _offset = offset;
        Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Writer.WriteStartObject();
    }

    public Utf8JsonWriter Writer { get; }

    public static byte[] ResultOnly(string code, string status, string message)
    {
        using var body = new ResponseBody(TimeSpan.Zero);
        body.Result(code, status, message);
        return body.ToArray();
    }

    public ResponseBody Result(string code, string status, string message)
    {
        Writer.WriteStartObject("result");
        Writer.WriteString("resultCode", code);
        Writer.WriteString("resultStatus", status);
        Writer.WriteString("resultMessage", message);
        Writer.WriteEndObject();
        return this;
    }

    public ResponseBody String(string name, string? value)
    {
        if (value != null)
        {
            Writer.WriteString(name, value);
        }

        return this;
    }

    public ResponseBody Time(string name, DateTimeOffset? value)
    {
        if (value is DateTimeOffset time)
        {
            Writer.WriteString(name, TimeHeader.FormatBodyTime(time, _offset));
        }

        return this;
    }

    public ResponseBody Amount(string name, AntomAmount? amount)
    {
        if (amount != null)
        {
            Writer.WriteStartObject(name);
            Writer.WriteString("currency", amount.Currency);
            Writer.WriteString("value", amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Writer.WriteEndObject();
        }

        return this;
    }

    /// <summary>A quote object; Antom's samples write <c>quotePrice</c> as a number and <c>guaranteed</c> as a boolean.</summary>
    public ResponseBody Quote(string name, string from, string to)
    {
        if (from != to)
        {
            Writer.WriteStartObject(name);
            Writer.WriteBoolean("guaranteed", false);
            Writer.WriteString("quoteCurrencyPair", Currencies.QuotePair(from, to));
            Writer.WriteNumber("quotePrice", Currencies.QuotePrice(from, to));
            Writer.WriteEndObject();
        }

        return this;
    }

    public byte[] ToArray()
    {
        Writer.WriteEndObject();
        Writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => Writer.Dispose();
}
