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
    /// <remarks>Runs on every device request, so it allocates nothing for a good body: keys are compared as the body's
    /// own bytes (decoded only when written with escapes), and a path is made into text only for an error message.</remarks>
    public static string? Check(ReadOnlySpan<byte> body)
    {
        int invalid = FirstInvalidUtf8(body);
        if (invalid >= 0) return $"body: invalid UTF-8 at byte {invalid}";

        var reader = new Utf8JsonReader(body, Options);
        // One frame per open object or array (the key it sits under, its next array index, where its keys start in the
        // list of keys of all open objects); reused by the next check on this thread (the check never awaits).
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        var frames = scratch.Frames;
        var keys = scratch.Keys;
        Key? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Add(new Frame(pendingKey, reader.TokenType == JsonTokenType.StartObject, keys.Count));
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keys.RemoveRange(frames[^1].KeysStart, keys.Count - frames[^1].KeysStart);
                        frames.RemoveAt(frames.Count - 1);
                        if (frames.Count > 0) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                        break;
                    case JsonTokenType.PropertyName:
                        string? text = null;
                        if (reader.ValueIsEscaped && !TryGetText(ref reader, out text))
                            return $"{Child(body, frames, frames.Count - 1, new Key(0, 0, "?"))}: key has a lone surrogate escape";
                        var key = new Key((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, text);
                        if (IsDuplicate(body, keys, frames[^1], key)) return $"body: duplicate key '{Child(body, frames, frames.Count - 1, key)}'";
                        keys.Add(key);
                        if (keys.Count - frames[^1].KeysStart > ManyKeys) frames[^1] = frames[^1] with { Seen = Seen(body, keys, frames[^1]) };
                        pendingKey = key;
                        break;
                    case JsonTokenType.String:
                        // Without escapes the text is the raw bytes, already checked as UTF-8 (no encoded surrogates).
                        if (reader.ValueIsEscaped && HasLoneSurrogate(ref reader))
                            return frames.Count > 0
                                ? $"{Child(body, frames, frames.Count - 1, pendingKey)}: string has a lone surrogate escape"
                                : "body: string has a lone surrogate escape";
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
        finally
        {
            frames.Clear();
            keys.Clear();
            if (frames.Capacity <= 256 && keys.Capacity <= 1024) t_scratch = scratch;
        }
    }

    /// <summary>Objects with more keys than this find duplicates through a set instead of comparing with each key before.</summary>
    private const int ManyKeys = 32;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private sealed class Scratch
    {
        public readonly List<Frame> Frames = new(16);
        public readonly List<Key> Keys = new(64);
    }

    /// <summary>A key: where its text is in the body (between the quotes), and the text itself when written with escapes.</summary>
    private readonly record struct Key(int Start, int Length, string? Unescaped)
    {
        public string Text(ReadOnlySpan<byte> body) => Unescaped ?? Encoding.UTF8.GetString(body.Slice(Start, Length));
    }

    /// <param name="InParent">The key this container is the value of (null in an array or at the top).</param>
    /// <param name="Seen">The object's keys as a set, once it has more than <see cref="ManyKeys"/>.</param>
    private readonly record struct Frame(Key? InParent, bool IsObject, int KeysStart, int Index = 0, HashSet<string>? Seen = null);

    private static bool IsDuplicate(ReadOnlySpan<byte> body, List<Key> keys, Frame frame, Key key)
    {
        if (frame.Seen != null) return !frame.Seen.Add(key.Text(body));
        for (int i = frame.KeysStart; i < keys.Count; i++)
        {
            var other = keys[i];
            bool same = key.Unescaped == null && other.Unescaped == null
                ? body.Slice(key.Start, key.Length).SequenceEqual(body.Slice(other.Start, other.Length))
                : key.Text(body) == other.Text(body);
            if (same) return true;
        }
        return false;
    }

    private static HashSet<string> Seen(ReadOnlySpan<byte> body, List<Key> keys, Frame frame)
    {
        if (frame.Seen != null) return frame.Seen;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = frame.KeysStart; i < keys.Count; i++) seen.Add(keys[i].Text(body));
        return seen;
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

    /// <summary>Whether an escaped string value unescapes to a lone surrogate; checked in a pooled buffer, not a new string.</summary>
    private static bool HasLoneSurrogate(ref Utf8JsonReader reader)
    {
        // Unescaped, a value has at most as many UTF-16 characters as its escaped UTF-8 form has bytes.
        char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            int length;
            try
            {
                length = reader.CopyString(buffer);
            }
            catch (InvalidOperationException)
            {
                return true;
            }
            var text = buffer.AsSpan(0, length);
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (char.IsSurrogate(text[i])) return true;
            }
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>A value finished: the key is used up, an array moves to its next index.</summary>
    private static void Advance(List<Frame> frames, ref Key? pendingKey)
    {
        pendingKey = null;
        if (frames.Count > 0 && !frames[^1].IsObject) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
    }

    /// <summary>The path of the value under <paramref name="key"/> (or at the array's index) in the container frames[at]:
    /// "order.merchant.store", "items[2]". Made only for error messages.</summary>
    private static string Child(ReadOnlySpan<byte> body, List<Frame> frames, int at, Key? key)
    {
        var parent = frames[at];
        string parentPath = at == 0 ? "" : Child(body, frames, at - 1, parent.InParent);
        string step = !parent.IsObject ? $"[{parent.Index}]" : Printable(key?.Text(body) ?? "?");
        return parentPath.Length == 0 ? step.TrimStart('.') : !parent.IsObject ? parentPath + step : parentPath + "." + step;
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
}
