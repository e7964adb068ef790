using System;

namespace Terminal.Drivers.Display.Fonts
{
    /// <summary>
    /// A bitmap font over a contiguous character range. Glyphs are stored column by column in a fixed
    /// cell of <see cref="CellWidth"/> columns; each column is <see cref="BytesPerColumn"/> bytes,
    /// least significant byte first, bit 0 = top row (the display's page layout, so a glyph column maps
    /// onto <see cref="Framebuffer.WriteColumn"/> directly). A width table makes a font proportional;
    /// width 0 marks a character the font does not have.
    /// </summary>
    public sealed class Font
    {
        private readonly byte[] _glyphs;
        private readonly byte[] _widths;
        private readonly int _first;
        private readonly int _last;
        private readonly int _fallbackIndex;

        /// <param name="glyphs">(last - first + 1) cells of cellWidth columns of BytesPerColumn bytes.</param>
        /// <param name="widths">Per-character width in columns (0 = absent), or null when every glyph is cellWidth wide.</param>
        /// <param name="fallback">Drawn for characters the font lacks; must be in the font.</param>
        public Font(byte[] glyphs, byte[] widths, char first, char last, int cellWidth, int height, int spacing, char fallback)
        {
            if (glyphs == null)
            {
                throw new ArgumentNullException("glyphs");
            }

            if (last < first)
            {
                throw new ArgumentOutOfRangeException("last", "last character precedes first");
            }

            if (height < 1 || height > Framebuffer.MaxColumnHeight)
            {
                throw new ArgumentOutOfRangeException("height", "glyph height must be 1..32, was " + height);
            }

            if (cellWidth < 1 || spacing < 0)
            {
                throw new ArgumentOutOfRangeException("cellWidth", "cell width must be positive and spacing not negative");
            }

            int count = last - first + 1;
            int bytesPerColumn = (height + 7) / 8;
            if (glyphs.Length != count * cellWidth * bytesPerColumn)
            {
                throw new ArgumentException("glyph table has " + glyphs.Length + " bytes, expected "
                    + (count * cellWidth * bytesPerColumn), "glyphs");
            }

            if (widths != null && widths.Length != count)
            {
                throw new ArgumentException("width table has " + widths.Length + " entries, expected " + count, "widths");
            }

            _glyphs = glyphs;
            _widths = widths;
            _first = first;
            _last = last;
            CellWidth = cellWidth;
            Height = height;
            Spacing = spacing;
            BytesPerColumn = bytesPerColumn;
            _fallbackIndex = IndexOf(fallback);
            if (_fallbackIndex < 0)
            {
                throw new ArgumentException("fallback character is not in the font", "fallback");
            }
        }

        /// <summary>Rows per glyph.</summary>
        public int Height { get; private set; }

        /// <summary>Widest glyph in columns.</summary>
        public int CellWidth { get; private set; }

        /// <summary>Blank columns between neighbouring glyphs.</summary>
        public int Spacing { get; private set; }

        public int BytesPerColumn { get; private set; }

        /// <summary>True when the font has its own glyph for <paramref name="c"/> (no fallback).</summary>
        public bool Contains(char c)
        {
            return IndexOf(c) >= 0;
        }

        /// <summary>True when every character of <paramref name="text"/> has its own glyph.</summary>
        public bool CanRender(string text)
        {
            if (text == null)
            {
                return true;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (!Contains(text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The glyph drawn for <paramref name="c"/>: its own, or the fallback's.</summary>
        public int GlyphFor(char c)
        {
            int index = IndexOf(c);
            return index >= 0 ? index : _fallbackIndex;
        }

        /// <summary>Width in columns of glyph <paramref name="glyph"/> (from <see cref="GlyphFor"/>).</summary>
        public int GlyphWidth(int glyph)
        {
            return _widths == null ? CellWidth : _widths[glyph];
        }

        /// <summary>Bits of one glyph column, bit 0 = top row.</summary>
        public int ColumnBits(int glyph, int column)
        {
            int at = (glyph * CellWidth + column) * BytesPerColumn;
            int bits = 0;
            for (int b = 0; b < BytesPerColumn; b++)
            {
                bits |= _glyphs[at + b] << (8 * b);
            }

            return bits;
        }

        /// <summary>Width of <paramref name="c"/> plus the spacing that follows it.</summary>
        public int Advance(char c)
        {
            return GlyphWidth(GlyphFor(c)) + Spacing;
        }

        /// <summary>Pixel width of the text at scale 1 (no trailing spacing).</summary>
        public int Measure(string text)
        {
            return text == null ? 0 : Measure(text, 0, text.Length);
        }

        public int Measure(string text, int start, int count)
        {
            if (text == null || count <= 0)
            {
                return 0;
            }

            int width = 0;
            for (int i = start; i < start + count; i++)
            {
                width += Advance(text[i]);
            }

            return width - Spacing;
        }

        public int Measure(char[] chars, int start, int count)
        {
            if (chars == null || count <= 0)
            {
                return 0;
            }

            int width = 0;
            for (int i = start; i < start + count; i++)
            {
                width += Advance(chars[i]);
            }

            return width - Spacing;
        }

        private int IndexOf(char c)
        {
            if (c < _first || c > _last)
            {
                return -1;
            }

            int index = c - _first;
            if (_widths != null && _widths[index] == 0)
            {
                return -1;
            }

            return index;
        }
    }
}
