using Terminal.Drivers.Display.Fonts;

namespace Terminal.Drivers.Display
{
    /// <summary>
    /// Splits text into lines that fit a pixel width, breaking after spaces where possible and inside a
    /// word only when the word alone is too wide; '\n' forces a break. Works on positions in the caller's
    /// string, so wrapping allocates nothing.
    /// </summary>
    public static class TextWrap
    {
        /// <summary>
        /// Finds the line that starts at <paramref name="start"/> (leading spaces skipped). Returns the
        /// index where the following line starts, or -1 when no text is left. <paramref name="lineStart"/>
        /// and <paramref name="lineLength"/> give the characters to draw (trailing spaces trimmed).
        /// </summary>
        public static int NextLine(Font font, string text, int start, int maxWidth, out int lineStart, out int lineLength)
        {
            lineStart = start;
            lineLength = 0;
            if (text == null)
            {
                return -1;
            }

            int length = text.Length;
            int i = start;
            while (i < length && text[i] == ' ')
            {
                i++;
            }

            if (i >= length)
            {
                return -1;
            }

            lineStart = i;
            int width = 0;
            int lastBreak = -1; // index of the last space that fits on the line
            while (i < length)
            {
                char c = text[i];
                if (c == '\n')
                {
                    lineLength = TrimmedLength(text, lineStart, i);
                    return i + 1;
                }

                int advance = font.Advance(c);
                int needed = width + advance - font.Spacing;
                if (needed > maxWidth && i > lineStart)
                {
                    if (c == ' ')
                    {
                        lineLength = TrimmedLength(text, lineStart, i);
                        return i + 1;
                    }

                    if (lastBreak > lineStart)
                    {
                        lineLength = TrimmedLength(text, lineStart, lastBreak);
                        return lastBreak + 1;
                    }

                    // One word wider than the line: break inside it.
                    lineLength = i - lineStart;
                    return i;
                }

                if (c == ' ')
                {
                    lastBreak = i;
                }

                width += advance;
                i++;
            }

            lineLength = TrimmedLength(text, lineStart, length);
            return length;
        }

        /// <summary>How many lines <see cref="NextLine"/> produces for the text.</summary>
        public static int CountLines(Font font, string text, int maxWidth)
        {
            int lines = 0;
            int position = 0;
            int lineStart;
            int lineLength;
            while ((position = NextLine(font, text, position, maxWidth, out lineStart, out lineLength)) >= 0)
            {
                lines++;
            }

            return lines;
        }

        private static int TrimmedLength(string text, int from, int to)
        {
            while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\r'))
            {
                to--;
            }

            return to - from;
        }
    }
}
