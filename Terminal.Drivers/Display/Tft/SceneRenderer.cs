using System;
using Terminal.Drivers.Display.Fonts;

namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// Computes the RGB565 pixels of a rectangle of a <see cref="TftScene"/> into a caller's band buffer, row by
    /// row, high byte first, as the panels take them after RAMWR. The scene's elements never overlap, so each row
    /// starts as a copy of the row above (one native Array.Copy) and only elements whose row differs from the one
    /// above are painted again: a glyph row, a module row or a bitmap row is computed once and copied for the rest
    /// of its scale. Runs of one colour are filled by doubling copies. Nothing allocates.
    /// </summary>
    public sealed class SceneRenderer
    {
        // Runs up to this many pixels are written in a loop; longer ones by doubling Array.Copy calls.
        private const int LoopFillPixels = 8;

        // No run of foreground pixels open (a run may start left of the screen, at a negative x).
        private const int NoRun = int.MinValue;

        private readonly int[] _visible = new int[TftScene.MaxElements];
        private int _visibleCount;

        private byte[] _band;
        private int _rowBytes;
        private int _left;
        private int _right;
        private int _clipLeft;
        private int _clipRight;

        /// <summary>
        /// Writes the pixels of [left, left + width) x [top, top + rows) into <paramref name="band"/> from index 0,
        /// 2 x width bytes per row.
        /// </summary>
        public void Render(TftScene scene, int left, int top, int width, int rows, byte[] band)
        {
            if (scene == null || band == null)
            {
                throw new ArgumentNullException(scene == null ? "scene" : "band");
            }

            if (width < 1 || rows < 1 || left < 0 || top < 0 || left + width > scene.Width || top + rows > scene.Height || 2 * width * rows > band.Length)
            {
                throw new ArgumentOutOfRangeException("rows", "band " + left + "," + top + " " + width + "x" + rows + " does not fit the scene or the buffer");
            }

            _band = band;
            _rowBytes = 2 * width;
            _left = left;
            _right = left + width;
            int bottom = top + rows;

            _visibleCount = 0;
            for (int i = 0; i < scene.Count; i++)
            {
                int x = scene.X(i);
                int y = scene.Y(i);
                if (x < _right && x + scene.WidthOf(i) > left && y < bottom && y + scene.HeightOf(i) > top)
                {
                    _visible[_visibleCount++] = i;
                }
            }

            for (int row = 0; row < rows; row++)
            {
                int y = top + row;
                int rowStart = row * _rowBytes;
                if (row == 0)
                {
                    _clipLeft = _left;
                    _clipRight = _right;
                    FillRun(rowStart, _left, _right, scene.Background);
                    for (int v = 0; v < _visibleCount; v++)
                    {
                        int e = _visible[v];
                        if (y >= scene.Y(e) && y < scene.Y(e) + scene.HeightOf(e))
                        {
                            Paint(scene, e, rowStart, y);
                        }
                    }

                    continue;
                }

                Array.Copy(band, rowStart - _rowBytes, band, rowStart, _rowBytes);

                // Elements that ended on the row above give their span back to the background first...
                for (int v = 0; v < _visibleCount; v++)
                {
                    int e = _visible[v];
                    if (y == scene.Y(e) + scene.HeightOf(e))
                    {
                        Clip(scene, e);
                        FillRun(rowStart, _clipLeft, _clipRight, scene.Background);
                    }
                }

                // ...then elements that start here, or whose row differs from the one above, are painted.
                for (int v = 0; v < _visibleCount; v++)
                {
                    int e = _visible[v];
                    int elementTop = scene.Y(e);
                    if (y == elementTop || (y > elementTop && y < elementTop + scene.HeightOf(e) && RowKey(scene, e, y) != RowKey(scene, e, y - 1)))
                    {
                        Paint(scene, e, rowStart, y);
                    }
                }
            }

            _band = null;
        }

        /// <summary>Which row of its content element <paramref name="e"/> shows at <paramref name="y"/>; equal keys are equal pixel rows.</summary>
        private static int RowKey(TftScene scene, int e, int y)
        {
            int scale = scene.ScaleOf(e);
            switch (scene.KindOf(e))
            {
                case SceneElementKind.Text:
                    Font font = scene.FontOf(e);
                    return Band(y - TextTop(scene, e), scale, font.Height);
                case SceneElementKind.Modules:
                    IModuleMatrix matrix = (IModuleMatrix)scene.SourceOf(e);
                    return Band(y - scene.Y(e) - scene.Style2Of(e) * scale, scale, matrix.Size);
                case SceneElementKind.Bitmap:
                    BitPlane plane = (BitPlane)scene.SourceOf(e);
                    return Band(y - BitmapTop(scene, e, plane), scale, plane.Height);
                default:
                    return 0;
            }
        }

        // -1 above the content, -2 below it, else the content row.
        private static int Band(int offset, int scale, int rows)
        {
            if (offset < 0)
            {
                return -1;
            }

            int row = offset / scale;
            return row < rows ? row : -2;
        }

        private static int TextTop(TftScene scene, int e)
        {
            return scene.Y(e) + (scene.HeightOf(e) - scene.FontOf(e).Height * scene.ScaleOf(e)) / 2;
        }

        private static int BitmapTop(TftScene scene, int e, BitPlane plane)
        {
            return scene.Y(e) + (scene.HeightOf(e) - plane.Height * scene.ScaleOf(e)) / 2;
        }

        private void Clip(TftScene scene, int e)
        {
            int x = scene.X(e);
            int right = x + scene.WidthOf(e);
            _clipLeft = x > _left ? x : _left;
            _clipRight = right < _right ? right : _right;
        }

        private void Paint(TftScene scene, int e, int rowStart, int y)
        {
            Clip(scene, e);
            int foreground = scene.ForegroundOf(e);
            int background = scene.BackgroundOf(e);
            FillRun(rowStart, _clipLeft, _clipRight, background);
            int key = RowKey(scene, e, y);
            if (key < 0)
            {
                return;
            }

            int scale = scene.ScaleOf(e);
            switch (scene.KindOf(e))
            {
                case SceneElementKind.Text:
                    PaintText(scene, e, rowStart, key, scale, foreground);
                    break;
                case SceneElementKind.Modules:
                    IModuleMatrix matrix = (IModuleMatrix)scene.SourceOf(e);
                    int origin = scene.X(e) + scene.Style2Of(e) * scale;
                    int runStart = NoRun;
                    for (int m = 0; m < matrix.Size; m++)
                    {
                        runStart = Extend(rowStart, runStart, matrix.IsDark(m, key), origin + m * scale, scale, foreground);
                    }

                    Extend(rowStart, runStart, false, origin + matrix.Size * scale, scale, foreground);
                    break;
                case SceneElementKind.Bitmap:
                    BitPlane plane = (BitPlane)scene.SourceOf(e);
                    int left = scene.X(e) + (scene.WidthOf(e) - plane.Width * scale) / 2;
                    int start = NoRun;
                    for (int px = 0; px < plane.Width; px++)
                    {
                        start = Extend(rowStart, start, plane.IsSet(px, key), left + px * scale, scale, foreground);
                    }

                    Extend(rowStart, start, false, left + plane.Width * scale, scale, foreground);
                    break;
            }
        }

        private void PaintText(TftScene scene, int e, int rowStart, int glyphRow, int scale, int foreground)
        {
            Font font = scene.FontOf(e);
            int width = scene.WidthOf(e);
            int measured = scene.MeasuredOf(e);
            TextAlign align = (TextAlign)scene.Style2Of(e);
            int x = scene.X(e);
            if (measured < width && align != TextAlign.Left)
            {
                x += align == TextAlign.Right ? width - measured : (width - measured) / 2;
            }

            object source = scene.SourceOf(e);
            string text = source as string;
            char[] chars = source as char[];
            int start = scene.StartOf(e);
            int end = start + scene.LengthOf(e);
            int bit = 1 << glyphRow;
            for (int i = start; i < end && x < _clipRight; i++)
            {
                int glyph = font.GlyphFor(text != null ? text[i] : chars[i]);
                int columns = font.GlyphWidth(glyph);
                int advance = (columns + font.Spacing) * scale;
                if (x + advance > _clipLeft)
                {
                    int runStart = NoRun;
                    for (int c = 0; c < columns; c++)
                    {
                        runStart = Extend(rowStart, runStart, (font.ColumnBits(glyph, c) & bit) != 0, x + c * scale, scale, foreground);
                    }

                    Extend(rowStart, runStart, false, x + columns * scale, scale, foreground);
                }

                x += advance;
            }
        }

        // Grows or ends a run of foreground pixels at cell [x, x + scale); returns the run's start, NoRun when none.
        private int Extend(int rowStart, int runStart, bool set, int x, int scale, int colour)
        {
            if (set)
            {
                return runStart == NoRun ? x : runStart;
            }

            if (runStart != NoRun)
            {
                FillRun(rowStart, runStart, x, colour);
            }

            return NoRun;
        }

        /// <summary>Pixels [from, to) of the row in one colour, clipped to the current clip.</summary>
        private void FillRun(int rowStart, int from, int to, int colour)
        {
            from = from < _clipLeft ? _clipLeft : from;
            to = to > _clipRight ? _clipRight : to;
            int count = to - from;
            if (count <= 0)
            {
                return;
            }

            byte[] band = _band;
            int at = rowStart + 2 * (from - _left);
            byte high = (byte)(colour >> 8);
            byte low = (byte)colour;
            if (count <= LoopFillPixels)
            {
                for (int i = 0; i < count; i++)
                {
                    band[at++] = high;
                    band[at++] = low;
                }

                return;
            }

            band[at] = high;
            band[at + 1] = low;
            int done = 1;
            while (done < count)
            {
                int chunk = done < count - done ? done : count - done;
                Array.Copy(band, at, band, at + 2 * done, 2 * chunk);
                done += chunk;
            }
        }
    }
}
