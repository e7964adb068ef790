using System.Text;
using System.Text.Json;

namespace Terminal.Gateway.Api;

/// <summary>
/// The strict JSON every body from outside must be before anything is done with it (device requests,
/// notifications): well-formed UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF),
/// well-formed JSON (RFC 8259), no lone surrogate in a <c>\u</c> escape (RFC 8259 section 8.2), and no key twice in
/// one object (RFC 8259 section 4 leaves duplicates undefined; parsers disagree on which one wins, so a signed body
/// could mean one thing to the gateway and another to Antom). Returns the first problem, naming the key by its path.
/// </summary>
public static class StrictJson
{
    /// <summary>Deepest nesting accepted; Antom bodies nest five levels at most.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Null when <paramref name="body"/> is strict JSON, else "body: ..." or "&lt;path&gt;: ..." for a PARAM_ILLEGAL answer.</summary>
    public static string? Check(ReadOnlySpan<byte> body)
    {
        int invalid = FirstInvalidUtf8(body);
        if (invalid >= 0) return $"body: invalid UTF-8 at byte {invalid}";

        var reader = new Utf8JsonReader(body, Options);
        // One frame per open object or array: the keys seen (objects only), the path to it, the next array index.
        var frames = new Stack<Frame>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string path = frames.Count == 0 ? "" : Child(frames.Peek(), pendingKey);
                        frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        if (frames.Count > 0) frames.Peek().Index++;
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames.Peek();
                        if (!TryGetText(ref reader, out string? key))
                            return $"{Child(frame, "?")}: key has a lone surrogate escape";
                        if (!frame.Keys!.Add(key)) return $"body: duplicate key '{Child(frame, key)}'";
                        pendingKey = key;
                        break;
                    case JsonTokenType.String:
                        // Without escapes the text is the raw bytes, already checked as UTF-8 (no encoded surrogates).
                        if (reader.ValueIsEscaped && !TryGetText(ref reader, out _))
                            return frames.Count > 0 ? $"{Child(frames.Peek(), pendingKey)}: string has a lone surrogate escape" : "body: string has a lone surrogate escape";
                        Advance(frames, ref pendingKey);
                        break;
                    default:
                        Advance(frames, ref pendingKey);
                        break;
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"body: not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        }
    }

    /// <summary>Index of the first byte that is not part of well-formed UTF-8, or -1.</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        if (System.Text.Unicode.Utf8.IsValid(text)) return -1;
        int at = 0;
        while (at < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[at..], out _, out int consumed) != System.Buffers.OperationStatus.Done) return at;
            at += consumed;
        }
        return -1;
    }

    /// <summary>Unescapes a string or key; false when an escape leaves a lone surrogate.</summary>
    private static bool TryGetText(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
        // GetString refuses unpaired escapes; check the result anyway, the contract is what matters here.
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }

    /// <summary>A value finished: the key is used up, an array moves to its next index.</summary>
    private static void Advance(Stack<Frame> frames, ref string? pendingKey)
    {
        pendingKey = null;
        if (frames.Count > 0 && frames.Peek().Keys == null) frames.Peek().Index++;
    }

    private static string Child(Frame parent, string? key)
    {
        string step = parent.Keys == null ? $"[{parent.Index}]" : Printable(key ?? "?");
        return parent.Path.Length == 0 ? step.TrimStart('.') : parent.Keys == null ? parent.Path + step : parent.Path + "." + step;
    }

    /// <summary>Keys go into answers and logs: printable ASCII only, at most 64 characters.</summary>
    private static string Printable(string key)
    {
        var sb = new StringBuilder(Math.Min(key.Length, 64));
        foreach (char c in key)
        {
            if (sb.Length >= 64)
            {
                sb.Append("...");
                break;
            }
            if (c is >= ' ' and <= '~' and not '\'' and not '\\') sb.Append(c);
            else sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }

    private sealed class Frame(string path, HashSet<string>? keys)
    {
        public string Path { get; } = path;
        public HashSet<string>? Keys { get; } = keys;
        public int Index { get; set; }
    }
}
