using System;

namespace Terminal.Drivers.Display
{
    /// <summary>
    /// A 128x64 one-bit image laid out exactly like SSD1306 display RAM (datasheet section 8.7,
    /// "Graphic Display Data RAM"): 8 pages of 128 column bytes, bit 0 = top row of the page. A driver
    /// therefore sends byte ranges unchanged.
    /// <para>
    /// Every write compares the new byte with the old one and widens the page's dirty column window only
    /// when the byte really changed, so redrawing identical content costs no I2C traffic. Drawing is
    /// clipped to the screen and to an optional clip rectangle. Nothing here allocates after construction.
    /// </para>
    /// </summary>
    public sealed class Framebuffer
    {
        public const int Width = 128;
        public const int Height = 64;
        public const int Pages = Height / 8;

        /// <summary>The tallest column <see cref="WriteColumn"/> accepts (bits of an int).</summary>
        public const int MaxColumnHeight = 32;

        private readonly byte[] _ram = new byte[Width * Pages];

        // Per page, the first and last column changed since the page was last marked clean.
        // Clean = first > last.
        private readonly int[] _dirtyFirst = new int[Pages];
        private readonly int[] _dirtyLast = new int[Pages];

        private int _clipLeft;
        private int _clipTop;
        private int _clipRight = Width;
        private int _clipBottom = Height;

        public Framebuffer()
        {
            for (int p = 0; p < Pages; p++)
            {
                MarkPageClean(p);
            }
        }

        /// <summary>The page-layout bytes (index = page * 128 + column); drivers read ranges of it.</summary>
        internal byte[] Buffer
        {
            get { return _ram; }
        }

        /// <summary>One byte of the image: 8 vertical pixels of <paramref name="page"/>, bit 0 on top.</summary>
        public byte ReadByte(int page, int column)
        {
            CheckPage(page);
            if (column < 0 || column >= Width)
            {
                throw new ArgumentOutOfRangeException("column", "column must be 0..127, was " + column);
            }

            return _ram[page * Width + column];
        }

        /// <summary>Copies the 1024 image bytes into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
        public void CopyTo(byte[] destination, int offset)
        {
            if (destination == null)
            {
                throw new ArgumentNullException("destination");
            }

            if (offset < 0 || offset > destination.Length - _ram.Length)
            {
                throw new ArgumentOutOfRangeException("offset", "1024 bytes do not fit at offset " + offset);
            }

            Array.Copy(_ram, 0, destination, offset, _ram.Length);
        }

        // ---- Clipping ----

        /// <summary>Restricts all drawing to the given rectangle (intersected with the screen).</summary>
        public void SetClip(int x, int y, int width, int height)
        {
            _clipLeft = Clamp(x, 0, Width);
            _clipTop = Clamp(y, 0, Height);
            _clipRight = Clamp(x + width, _clipLeft, Width);
            _clipBottom = Clamp(y + height, _clipTop, Height);
        }

        public int ClipLeft
        {
            get { return _clipLeft; }
        }

        public int ClipTop
        {
            get { return _clipTop; }
        }

        /// <summary>First column right of the clip rectangle.</summary>
        public int ClipRight
        {
            get { return _clipRight; }
        }

        /// <summary>First row below the clip rectangle.</summary>
        public int ClipBottom
        {
            get { return _clipBottom; }
        }

        /// <summary>Allows drawing on the whole screen again.</summary>
        public void ResetClip()
        {
            _clipLeft = 0;
            _clipTop = 0;
            _clipRight = Width;
            _clipBottom = Height;
        }

        // ---- Pixels and rectangles ----

        /// <summary>True when the pixel is lit; false outside the screen.</summary>
        public bool GetPixel(int x, int y)
        {
            if (x < 0 || x >= Width || y < 0 || y >= Height)
            {
                return false;
            }

            return (_ram[(y >> 3) * Width + x] & (1 << (y & 7))) != 0;
        }

        public void SetPixel(int x, int y, bool on)
        {
            if (x < _clipLeft || x >= _clipRight || y < _clipTop || y >= _clipBottom)
            {
                return;
            }

            int bit = 1 << (y & 7);
            Modify(y >> 3, x, bit, on ? bit : 0);
        }

        /// <summary>Sets every pixel (inside the clip rectangle) to <paramref name="on"/>.</summary>
        public void Clear(bool on = false)
        {
            FillRect(0, 0, Width, Height, on);
        }

        public void FillRect(int x, int y, int width, int height, bool on)
        {
            ApplyRect(x, y, width, height, on ? 1 : 0);
        }

        /// <summary>Flips every pixel of the rectangle (lit becomes unlit and back).</summary>
        public void InvertRect(int x, int y, int width, int height)
        {
            ApplyRect(x, y, width, height, 2);
        }

        public void DrawHorizontalLine(int x, int y, int width, bool on)
        {
            FillRect(x, y, width, 1, on);
        }

        public void DrawVerticalLine(int x, int y, int height, bool on)
        {
            FillRect(x, y, 1, height, on);
        }

        /// <summary>A one-pixel outline of the rectangle.</summary>
        public void DrawRect(int x, int y, int width, int height, bool on)
        {
            if (width <= 0 || height <= 0)
            {
                return;
            }

            DrawHorizontalLine(x, y, width, on);
            DrawHorizontalLine(x, y + height - 1, width, on);
            DrawVerticalLine(x, y, height, on);
            DrawVerticalLine(x + width - 1, y, height, on);
        }

        /// <summary>
        /// Writes one pixel column opaquely: row <c>y + i</c> becomes lit when bit i of <paramref name="bits"/>
        /// is set and unlit otherwise, for i below <paramref name="height"/> (at most 32). Text and small
        /// animations use it so that a repaint touches each byte once and marks only real changes dirty.
        /// </summary>
        public void WriteColumn(int x, int y, int bits, int height)
        {
            if (height < 0 || height > MaxColumnHeight)
            {
                throw new ArgumentOutOfRangeException("height", "column height must be 0..32, was " + height);
            }

            if (x < _clipLeft || x >= _clipRight)
            {
                return;
            }

            int top = y < _clipTop ? _clipTop : y;
            int bottom = y + height > _clipBottom ? _clipBottom : y + height;
            if (top >= bottom)
            {
                return;
            }

            for (int page = top >> 3; page <= (bottom - 1) >> 3; page++)
            {
                int pageTop = page << 3;
                int from = top > pageTop ? top - pageTop : 0;
                int to = bottom < pageTop + 8 ? bottom - pageTop : 8;
                int mask = ((1 << to) - 1) & ~((1 << from) - 1);

                // Shift the column so that its bit for row pageTop lands on bit 0; long avoids losing bits.
                int shift = y - pageTop;
                long moved = shift >= 0 ? ((long)(uint)bits << shift) : ((long)(uint)bits >> -shift);
                Modify(page, x, mask, (int)(moved & 0xFF));
            }
        }

        // ---- Module matrices (QR codes) ----

        /// <summary>
        /// The largest integer pixels-per-module at which a <paramref name="size"/>-module matrix plus
        /// <paramref name="quietModules"/> light modules on every side fits the area; 0 when it does not fit.
        /// </summary>
        public static int ModuleScaleFor(int size, int quietModules, int areaWidth, int areaHeight)
        {
            if (size <= 0 || quietModules < 0)
            {
                return 0;
            }

            int side = areaWidth < areaHeight ? areaWidth : areaHeight;
            return side / (size + 2 * quietModules);
        }

        /// <summary>
        /// Draws <paramref name="matrix"/> with its top-left quiet-zone corner at (x, y), each module a
        /// <paramref name="scale"/> x <paramref name="scale"/> block, surrounded by
        /// <paramref name="quietModules"/> light modules. Light modules (and the quiet zone) are lit,
        /// dark modules unlit: dark-on-light like paper, which phone scanners expect. Returns the side in
        /// pixels.
        /// </summary>
        public int DrawModules(IModuleMatrix matrix, int x, int y, int scale, int quietModules)
        {
            if (matrix == null)
            {
                throw new ArgumentNullException("matrix");
            }

            if (scale < 1)
            {
                throw new ArgumentOutOfRangeException("scale", "scale must be at least 1, was " + scale);
            }

            if (quietModules < 0)
            {
                throw new ArgumentOutOfRangeException("quietModules", "quiet zone cannot be negative");
            }

            int size = matrix.Size;
            int side = (size + 2 * quietModules) * scale;
            FillRect(x, y, side, side, true);
            int originX = x + quietModules * scale;
            int originY = y + quietModules * scale;
            for (int my = 0; my < size; my++)
            {
                for (int mx = 0; mx < size; mx++)
                {
                    if (matrix.IsDark(mx, my))
                    {
                        FillRect(originX + mx * scale, originY + my * scale, scale, scale, false);
                    }
                }
            }

            return side;
        }

        // ---- Dirty tracking ----

        /// <summary>True when any page has changed bytes not yet marked clean.</summary>
        public bool IsDirty
        {
            get
            {
                for (int p = 0; p < Pages; p++)
                {
                    if (_dirtyFirst[p] <= _dirtyLast[p])
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public bool IsPageDirty(int page)
        {
            CheckPage(page);
            return _dirtyFirst[page] <= _dirtyLast[page];
        }

        /// <summary>First changed column of the page; 128 when the page is clean.</summary>
        public int DirtyFirstColumn(int page)
        {
            CheckPage(page);
            return _dirtyFirst[page];
        }

        /// <summary>Last changed column of the page; -1 when the page is clean.</summary>
        public int DirtyLastColumn(int page)
        {
            CheckPage(page);
            return _dirtyLast[page];
        }

        /// <summary>Called by a driver after the page's dirty window reached the display.</summary>
        public void MarkPageClean(int page)
        {
            CheckPage(page);
            _dirtyFirst[page] = Width;
            _dirtyLast[page] = -1;
        }

        /// <summary>Marks the whole image as changed, e.g. after the display was (re)initialised.</summary>
        public void MarkAllDirty()
        {
            for (int p = 0; p < Pages; p++)
            {
                _dirtyFirst[p] = 0;
                _dirtyLast[p] = Width - 1;
            }
        }

        // ---- Helpers ----

        // mode: 0 = clear, 1 = set, 2 = invert.
        private void ApplyRect(int x, int y, int width, int height, int mode)
        {
            int left = x < _clipLeft ? _clipLeft : x;
            int right = x + width > _clipRight ? _clipRight : x + width;
            int top = y < _clipTop ? _clipTop : y;
            int bottom = y + height > _clipBottom ? _clipBottom : y + height;
            if (width <= 0 || height <= 0 || left >= right || top >= bottom)
            {
                return;
            }

            for (int page = top >> 3; page <= (bottom - 1) >> 3; page++)
            {
                int pageTop = page << 3;
                int from = top > pageTop ? top - pageTop : 0;
                int to = bottom < pageTop + 8 ? bottom - pageTop : 8;
                int mask = ((1 << to) - 1) & ~((1 << from) - 1);
                for (int col = left; col < right; col++)
                {
                    if (mode == 2)
                    {
                        Modify(page, col, mask, ~_ram[page * Width + col]);
                    }
                    else
                    {
                        Modify(page, col, mask, mode == 1 ? mask : 0);
                    }
                }
            }
        }

        private void Modify(int page, int column, int mask, int value)
        {
            int index = page * Width + column;
            int old = _ram[index];
            int updated = (old & ~mask) | (value & mask);
            if (updated == old)
            {
                return;
            }

            _ram[index] = (byte)updated;
            if (column < _dirtyFirst[page])
            {
                _dirtyFirst[page] = column;
            }

            if (column > _dirtyLast[page])
            {
                _dirtyLast[page] = column;
            }
        }

        private static void CheckPage(int page)
        {
            if (page < 0 || page >= Pages)
            {
                throw new ArgumentOutOfRangeException("page", "page must be 0..7, was " + page);
            }
        }

        private static int Clamp(int value, int min, int max)
        {
            return value < min ? min : (value > max ? max : value);
        }
    }
}
