using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Terminal.Core.Json;

namespace Terminal.Tests.Primitives;

/// <summary>A random JSON document as a tree, written through both our JsonWriter and Utf8JsonWriter.</summary>
internal abstract record JNode;

internal sealed record JString(string Value) : JNode;

internal sealed record JNumber(long Value) : JNode;

/// <summary>A number written as a JSON string, the way Antom sends amounts ("1250").</summary>
internal sealed record JNumberText(long Value) : JNode;

internal sealed record JBool(bool Value) : JNode;

internal sealed record JNull : JNode;

internal sealed record JArray(JNode[] Items) : JNode;

internal sealed record JObject((string Name, JNode Value)[] Members) : JNode;

internal static class JsonDocuments
{
    /// <summary>Text mixing printable ASCII with control characters, quotes, backslashes, DEL and non-ASCII (a surrogate pair too).</summary>
    public static readonly Gen<string> Text = TextOf("\"", "\\", "/", "\x7f", "é", "€", "中", "😀", "<", "&", "'", "+");

    /// <summary>As <see cref="Text"/> without characters beyond U+FFFF, which System.Text.Json escapes even when relaxed.</summary>
    public static readonly Gen<string> BmpText = TextOf("\"", "\\", "/", "\x7f", "é", "€", "中", "<", "&", "'", "+");

    private static Gen<string> TextOf(params string[] specials) => Gen.Frequency(
            (8, Gen.Char[' ', '~'].Select(c => c.ToString())),
            (1, Gen.Char['\0', '\x1f'].Select(c => c.ToString())),
            (2, Gen.OneOfConst(specials)))
        .Array[0, 10]
        .Select(pieces => string.Concat(pieces));

    private static Gen<JNode> LeafOf(Gen<string> text) => Gen.OneOf<JNode>(
        text.Select(s => (JNode)new JString(s)),
        Gen.Long.Select(v => (JNode)new JNumber(v)),
        Gen.Long.Select(v => (JNode)new JNumberText(v)),
        Gen.Bool.Select(b => (JNode)new JBool(b)),
        Gen.Const<JNode>(new JNull()));

    public static Gen<JNode> Node(int depth) => NodeOf(depth, Text);

    /// <summary>Documents System.Text.Json writes byte-for-byte like ours (with relaxed escaping).</summary>
    public static Gen<JNode> BmpNode(int depth) => NodeOf(depth, BmpText);

    private static Gen<JNode> NodeOf(int depth, Gen<string> text) => depth <= 0
        ? LeafOf(text)
        : Gen.Frequency(
            (3, LeafOf(text)),
            (1, NodeOf(depth - 1, text).Array[0, 4].Select(items => (JNode)new JArray(items))),
            (1, Gen.Select(text, NodeOf(depth - 1, text)).Array[0, 4].Select(members => (JNode)new JObject(members))));

    /// <summary>Documents whose root is an object or array (so that every proper prefix is incomplete).</summary>
    public static readonly Gen<JNode> Container = Gen.OneOf(
        Node(3).Array[0, 4].Select(items => (JNode)new JArray(items)),
        Gen.Select(Text, Node(3)).Array[0, 4].Select(members => (JNode)new JObject(members)));

    public static readonly JsonWriterOptions RelaxedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] WriteWithSystemTextJson(JNode node, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = indented }))
        {
            WriteValue(writer, node);
        }

        return stream.ToArray();
    }

    public static byte[] WriteWithOurs(JNode node, int bufferSize = 1 << 16)
    {
        var writer = new JsonWriter(new byte[bufferSize]);
        WriteValue(writer, node);
        return writer.Buffer.AsSpan(0, writer.Length).ToArray();
    }

    public static void WriteValue(Utf8JsonWriter w, JNode node)
    {
        switch (node)
        {
            case JString s: w.WriteStringValue(s.Value); break;
            case JNumber n: w.WriteNumberValue(n.Value); break;
            case JNumberText t: w.WriteStringValue(t.Value.ToString(CultureInfo.InvariantCulture)); break;
            case JBool b: w.WriteBooleanValue(b.Value); break;
            case JNull: w.WriteNullValue(); break;
            case JArray a:
                w.WriteStartArray();
                foreach (var item in a.Items)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                break;
            case JObject o:
                w.WriteStartObject();
                foreach (var (name, value) in o.Members)
                {
                    w.WritePropertyName(name);
                    WriteValue(w, value);
                }

                w.WriteEndObject();
                break;
        }
    }

    /// <summary>Bare values (root and array elements) through the *Value calls.</summary>
    public static void WriteValue(JsonWriter w, JNode node)
    {
        switch (node)
        {
            case JString s: w.WriteStringValue(s.Value); break;
            case JNumber n: w.WriteNumberValue(n.Value); break;
            case JNumberText t: w.WriteStringValue(t.Value.ToString(CultureInfo.InvariantCulture)); break;
            case JBool b: w.WriteBooleanValue(b.Value); break;
            case JNull: w.WriteNullValue(); break;
            case JArray a:
                w.StartArray();
                foreach (var item in a.Items)
                {
                    WriteValue(w, item);
                }

                w.EndArray();
                break;
            case JObject o:
                w.StartObject();
                foreach (var (name, value) in o.Members)
                {
                    WriteMember(w, name, value);
                }

                w.EndObject();
                break;
        }
    }

    /// <summary>Object members through the named calls; odd-length names go through WritePropertyName instead.</summary>
    private static void WriteMember(JsonWriter w, string name, JNode value)
    {
        if (name.Length % 2 == 1)
        {
            w.WritePropertyName(name);
            WriteValue(w, value);
            return;
        }

        switch (value)
        {
            case JString s: w.WriteString(name, s.Value); break;
            case JNumber n: w.WriteNumber(name, n.Value); break;
            case JNumberText t: w.WriteNumberAsString(name, t.Value); break;
            case JBool b: w.WriteBoolean(name, b.Value); break;
            case JNull: w.WriteNull(name); break;
            case JArray a:
                w.StartArray(name);
                foreach (var item in a.Items)
                {
                    WriteValue(w, item);
                }

                w.EndArray();
                break;
            case JObject o:
                w.StartObject(name);
                foreach (var (n, v) in o.Members)
                {
                    WriteMember(w, n, v);
                }

                w.EndObject();
                break;
        }
    }
}
