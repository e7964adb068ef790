using System;
using Terminal.Drivers.Display.Fonts;

namespace Terminal.Drivers.Display
{
    /// <summary>
    /// Draws text into a <see cref="Framebuffer"/>. Glyphs are painted opaquely (background columns and
    /// the spacing between glyphs are written too), so text can be redrawn in place without clearing
    /// first, and unchanged pixels cost nothing on the wire. <c>scale</c> multiplies each glyph pixel
    /// (scale x font height must stay within 32 rows); <c>inverse</c> draws unlit text on lit ground.
    /// Everything is clipped to the framebuffer's clip rectangle; nothing allocates.
    /// </summary>
    public static class TextPainter
    {
        /// <summary>Width in pixels of the text drawn at <paramref name="scale"/>.</summary>
        public static int Measure(Font font, string text, int scale)
        {
            return font.Measure(text) * scale;
        }

        /// <summary>Draws the text with its top-left corner at (x, y); returns the x just after it.</summary>
        public static int Draw(Framebuffer fb, Font font, string text, int x, int y)
        {
            return text == null ? x : Draw(fb, font, text, 0, text.Length, x, y, 1, false);
        }

        public static int Draw(Framebuffer fb, Font font, string text, int x, int y, int scale, bool inverse)
        {
            return text == null ? x : Draw(fb, font, text, 0, text.Length, x, y, scale, inverse);
        }

        /// <summary>Draws <paramref name="count"/> characters of the text from <paramref name="start"/>.</summary>
        public static int Draw(Framebuffer fb, Font font, string text, int start, int count, int x, int y, int scale, bool inverse)
        {
            CheckScale(font, scale);
            if (text == null)
            {
                return x;
            }

            int end = start + count;
            for (int i = start; i < end && x < Framebuffer.Width; i++)
            {
                if (i > start)
                {
                    x = Blank(fb, font, x, y, font.Spacing * scale, scale, inverse);
                }

                x = DrawChar(fb, font, text[i], x, y, scale, inverse);
            }

            return x;
        }

        public static int Draw(Framebuffer fb, Font font, char[] chars, int start, int count, int x, int y, int scale, bool inverse)
        {
            CheckScale(font, scale);
            int end = start + count;
            for (int i = start; i < end && x < Framebuffer.Width; i++)
            {
                if (i > start)
                {
                    x = Blank(fb, font, x, y, font.Spacing * scale, scale, inverse);
                }

                x = DrawChar(fb, font, chars[i], x, y, scale, inverse);
            }

            return x;
        }

        /// <summary>
        /// Draws the text aligned inside the box [x, x + width) and returns its left edge. Text wider
        /// than the box is clipped at the box edges (left-aligned so its start stays readable).
        /// </summary>
        public static int DrawAligned(Framebuffer fb, Font font, string text, int x, int y, int width, TextAlign align, int scale, bool inverse)
        {
            return text == null ? x : DrawAligned(fb, font, text, 0, text.Length, x, y, width, align, scale, inverse);
        }

        /// <summary>Like the whole-string overload, for <paramref name="count"/> characters from <paramref name="start"/>.</summary>
        public static int DrawAligned(Framebuffer fb, Font font, string text, int start, int count, int x, int y, int width, TextAlign align, int scale, bool inverse)
        {
            if (text == null)
            {
                return x;
            }

            int textWidth = font.Measure(text, start, count) * scale;
            int left = AlignedLeft(x, width, textWidth, align);
            int saved = Clip(fb, x, width);
            Draw(fb, font, text, start, count, left, y, scale, inverse);
            Restore(fb, saved);
            return left;
        }

        /// <summary>Centres the text on the whole screen width.</summary>
        public static int DrawCentered(Framebuffer fb, Font font, string text, int y, int scale)
        {
            return DrawAligned(fb, font, text, 0, y, Framebuffer.Width, TextAlign.Center, scale, false);
        }

        /// <summary>
        /// Repaints the whole box [x, x + width) x [y, y + font height x scale) with the characters
        /// aligned in it: every column of the box is written exactly once, so only columns whose pixels
        /// change become dirty. Made for values that change in place (countdown seconds).
        /// </summary>
        public static void DrawInBox(Framebuffer fb, Font font, char[] chars, int count, int x, int y, int width, TextAlign align, int scale, bool inverse)
        {
            CheckScale(font, scale);
            int height = font.Height * scale;
            int background = inverse ? Mask(height) : 0;
            int textWidth = font.Measure(chars, 0, count) * scale;
            int left = AlignedLeft(x, width, textWidth, align);

            int column = x;
            int end = x + width;

            // Background up to the text.
            for (; column < left && column < end; column++)
            {
                fb.WriteColumn(column, y, background, height);
            }

            int saved = Clip(fb, x, width);
            int after = Draw(fb, font, chars, 0, count, left, y, scale, inverse);
            Restore(fb, saved);
            column = after > column ? after : column;

            // Background after the text.
            for (; column < end; column++)
            {
                fb.WriteColumn(column, y, background, height);
            }
        }

        /// <summary>Draws one character at (x, y); returns the x just after its glyph (no spacing).</summary>
        public static int DrawChar(Framebuffer fb, Font font, char c, int x, int y, int scale, bool inverse)
        {
            int glyph = font.GlyphFor(c);
            int width = font.GlyphWidth(glyph);
            int height = font.Height * scale;
            int right = x + width * scale;
            if (right <= 0 || x >= Framebuffer.Width)
            {
                return right;
            }

            int mask = Mask(height);
            for (int col = 0; col < width; col++)
            {
                int bits = Stretch(font.ColumnBits(glyph, col), font.Height, scale);
                if (inverse)
                {
                    bits = ~bits & mask;
                }

                for (int s = 0; s < scale; s++)
                {
                    fb.WriteColumn(x + col * scale + s, y, bits, height);
                }
            }

            return right;
        }

        private static int Blank(Framebuffer fb, Font font, int x, int y, int columns, int scale, bool inverse)
        {
            int height = font.Height * scale;
            int bits = inverse ? Mask(height) : 0;
            for (int c = 0; c < columns; c++)
            {
                fb.WriteColumn(x + c, y, bits, height);
            }

            return x + columns;
        }

        private static int AlignedLeft(int x, int width, int textWidth, TextAlign align)
        {
            if (textWidth >= width || align == TextAlign.Left)
            {
                return x;
            }

            return align == TextAlign.Right ? x + width - textWidth : x + (width - textWidth) / 2;
        }

        // Narrows the current clip rectangle to the columns [x, x + width); returns the previous clip
        // packed as left | top << 8 | right << 16 | bottom << 24 (all values fit in a byte).
        private static int Clip(Framebuffer fb, int x, int width)
        {
            int saved = fb.ClipLeft | (fb.ClipTop << 8) | (fb.ClipRight << 16) | (fb.ClipBottom << 24);
            int left = x > fb.ClipLeft ? x : fb.ClipLeft;
            int right = x + width < fb.ClipRight ? x + width : fb.ClipRight;
            fb.SetClip(left, fb.ClipTop, right - left, fb.ClipBottom - fb.ClipTop);
            return saved;
        }

        private static void Restore(Framebuffer fb, int saved)
        {
            int left = saved & 0xFF;
            int top = (saved >> 8) & 0xFF;
            fb.SetClip(left, top, ((saved >> 16) & 0xFF) - left, ((saved >> 24) & 0xFF) - top);
        }

        // Repeats every bit of a glyph column `scale` times downwards.
        private static int Stretch(int bits, int height, int scale)
        {
            if (scale == 1)
            {
                return bits;
            }

            int result = 0;
            for (int row = 0; row < height; row++)
            {
                if ((bits & (1 << row)) != 0)
                {
                    result |= ((1 << scale) - 1) << (row * scale);
                }
            }

            return result;
        }

        private static int Mask(int height)
        {
            return height >= 32 ? -1 : (1 << height) - 1;
        }

        private static void CheckScale(Font font, int scale)
        {
            if (font == null)
            {
                throw new ArgumentNullException("font");
            }

            if (scale < 1 || font.Height * scale > Framebuffer.MaxColumnHeight)
            {
                throw new ArgumentOutOfRangeException("scale", "scale " + scale + " makes glyphs taller than 32 rows");
            }
        }
    }
}
