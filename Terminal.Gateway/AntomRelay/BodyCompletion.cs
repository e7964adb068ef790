using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The fields the gateway adds to a device's pay body (<see cref="MerchantFields"/>, the customer page's link), and the
/// one pass that writes the completed body from the device's bytes: every token copied, a field the plan names written
/// where the body has it as JSON null, else at the end of its object; an object the plan names is entered where the body
/// has one, else created there. This is what setting the fields in a JSON tree and serializing it gave, byte for byte
/// (compact, strings re-escaped with the relaxed encoder, numbers as written), without the tree.
/// </summary>
public sealed class BodyCompletion
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<Entry> _entries = [];

    private sealed class Entry(string name, string? value, BodyCompletion? child)
    {
        public string Name { get; } = name;
        public string? Value { get; } = value;
        public BodyCompletion? Child { get; } = child;
        public bool Written { get; set; }
    }

    /// <summary>Sets <paramref name="name"/> of this object to the string <paramref name="value"/> (the body has it absent or null).</summary>
    public void Fill(string name, string value) => _entries.Add(new Entry(name, value, null));

    /// <summary>The plan for the object <paramref name="name"/> of this object: entered if the body has it, else created.</summary>
    public BodyCompletion Object(string name)
    {
        var child = new BodyCompletion();
        _entries.Add(new Entry(name, null, child));
        return child;
    }

    /// <summary>Each thread's output buffer and writer, reused: the pass is synchronous, and only the result is new.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Output, Utf8JsonWriter Writer)? _scratch;

    /// <summary>The completed body (the body must be a JSON object; a plan is written once).</summary>
    public byte[] Write(ReadOnlySpan<byte> body)
    {
        var (output, writer) = _scratch ??= NewScratch();
        output.ResetWrittenCount();
        writer.Reset(output);
        var reader = new Utf8JsonReader(body);
        reader.Read();
        CopyObject(ref reader, writer, this);
        writer.Flush();
        byte[] completed = output.WrittenSpan.ToArray();
        // A rare large body does not stay with the thread.
        if (output.Capacity > 64 * 1024) _scratch = null;
        return completed;
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        return (output, new Utf8JsonWriter(output, WriterOptions));
    }

    private static void CopyObject(ref Utf8JsonReader reader, Utf8JsonWriter writer, BodyCompletion? plan)
    {
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var entry = plan?.Named(ref reader);
            CopyName(ref reader, writer);
            reader.Read();
            if (entry != null)
            {
                entry.Written = true;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    WriteValue(writer, entry);
                    continue;
                }
                if (entry.Child != null && reader.TokenType == JsonTokenType.StartObject)
                {
                    CopyObject(ref reader, writer, entry.Child);
                    continue;
                }
            }
            CopyValue(ref reader, writer);
        }
        if (plan != null)
        {
            foreach (var entry in plan._entries)
            {
                if (entry.Written) continue;
                entry.Written = true;
                writer.WritePropertyName(entry.Name);
                WriteValue(writer, entry);
            }
        }
        writer.WriteEndObject();
    }

    private Entry? Named(ref Utf8JsonReader reader)
    {
        foreach (var entry in _entries)
        {
            if (!entry.Written && reader.ValueTextEquals(entry.Name)) return entry;
        }
        return null;
    }

    private static void WriteValue(Utf8JsonWriter writer, Entry entry)
    {
        if (entry.Value != null)
        {
            writer.WriteStringValue(entry.Value);
            return;
        }
        writer.WriteStartObject();
        foreach (var inner in entry.Child!._entries)
        {
            inner.Written = true;
            writer.WritePropertyName(inner.Name);
            WriteValue(writer, inner);
        }
        writer.WriteEndObject();
    }

    private static void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                CopyObject(ref reader, writer, null);
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) CopyValue(ref reader, writer);
                writer.WriteEndArray();
                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped) writer.WriteStringValue(reader.GetString());
                else writer.WriteStringValue(reader.ValueSpan);
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void CopyName(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped) writer.WritePropertyName(reader.GetString()!);
        else writer.WritePropertyName(reader.ValueSpan);
    }
}
