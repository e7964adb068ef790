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

    /// <summary>The plan of this object, in the order given; an array of structs, not a list of objects (a pay's plan
    /// has a dozen fields in five objects).</summary>
    private Entry[] _entries = [];
    private int _count;

    private struct Entry(string name, string? value, BodyCompletion? child)
    {
        public readonly string Name = name;
        public readonly string? Value = value;
        public readonly BodyCompletion? Child = child;
        public bool Written;
    }

    /// <summary>Sets <paramref name="name"/> of this object to the string <paramref name="value"/> (the body has it absent or null).</summary>
    public void Fill(string name, string value) => Add(new Entry(name, value, null));

    /// <summary>The plan for the object <paramref name="name"/> of this object: entered if the body has it, else created.</summary>
    public BodyCompletion Object(string name)
    {
        var child = new BodyCompletion();
        Add(new Entry(name, null, child));
        return child;
    }

    private void Add(Entry entry)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, Math.Max(4, 2 * _count));
        _entries[_count++] = entry;
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
            int named = plan?.Named(ref reader) ?? -1;
            CopyName(ref reader, writer);
            reader.Read();
            if (named >= 0)
            {
                ref var entry = ref plan!._entries[named];
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
            for (int i = 0; i < plan._count; i++)
            {
                ref var entry = ref plan._entries[i];
                if (entry.Written) continue;
                entry.Written = true;
                writer.WritePropertyName(entry.Name);
                WriteValue(writer, entry);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>The index of the unwritten entry the reader's property name names; -1 when none does.</summary>
    private int Named(ref Utf8JsonReader reader)
    {
        for (int i = 0; i < _count; i++)
        {
            if (!_entries[i].Written && reader.ValueTextEquals(_entries[i].Name)) return i;
        }
        return -1;
    }

    private static void WriteValue(Utf8JsonWriter writer, in Entry entry)
    {
        if (entry.Value != null)
        {
            writer.WriteStringValue(entry.Value);
            return;
        }
        writer.WriteStartObject();
        var child = entry.Child!;
        for (int i = 0; i < child._count; i++)
        {
            ref var inner = ref child._entries[i];
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
