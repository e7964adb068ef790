using System;

namespace Terminal.Core.Json
{
    /// <summary>
    /// Every exception the reader raises is built here, so that all messages have one shape:
    /// "expected &lt;what&gt; at byte &lt;n&gt;, found &lt;byte&gt;" where the byte is shown as 'c' when printable
    /// and 0xNN otherwise (quotes included, to keep the message unambiguous), or "end of input".
    /// </summary>
    internal static class JsonThrow
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Malformed input: <paramref name="index"/> is absolute, the message and position count from <paramref name="start"/>.</summary>
        internal static JsonException Malformed(string expected, byte[] buffer, int index, int start, int end)
        {
            int position = index - start;
            string found = index >= end ? "end of input" : Describe(buffer[index]);
            return new JsonException("expected " + expected + " at byte " + position + ", found " + found, position);
        }

        /// <summary>A limit (depth, string length) exceeded, or a value unusable as asked, at <paramref name="position"/>.</summary>
        internal static JsonException Invalid(string what, int position)
        {
            return new JsonException(what + " at byte " + position, position);
        }

        /// <summary>The caller asked for something the current token cannot give (wrong token type, no Reset).</summary>
        internal static InvalidOperationException Misuse(string what, JsonTokenType tokenType)
        {
            return new InvalidOperationException("JSON reader misuse: " + what + " (current token type " + (int)tokenType + ")");
        }

        internal static string Describe(int b)
        {
            if (b > 0x20 && b < 0x7F && b != '\'' && b != '"')
            {
                return "'" + (char)b + "'";
            }

            return "0x" + HexDigits[b >> 4] + HexDigits[b & 0xF];
        }
    }
}
