using System;
using Terminal.Drivers.Display.Fonts;

namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// What a colour screen shows, in a few hundred bytes instead of a frame buffer (a 240x320 RGB565 frame is
    /// 153,600 bytes, more than an ESP32's managed heap): a background colour and up to <see cref="MaxElements"/>
    /// rectangles that do not overlap, each a fill, a glyph run, a module matrix or a one-bit plane
    /// (<see cref="SceneElementKind"/>). <see cref="SceneRenderer"/> computes any band of pixels from it.
    /// <para>
    /// Changes are tracked as dirty rectangles so a driver sends only what changed: a new screen is built between
    /// <see cref="Begin"/> and <see cref="End"/>, and each element is compared with the one it replaces (same slot),
    /// so an element that stays the same costs nothing on the wire; <see cref="SetText"/> and
    /// <see cref="SetForeground"/> change one element in place (a countdown digit, a spinner dot). A module matrix
    /// always counts as changed: encoders reuse one matrix object for every symbol.
    /// </para>
    /// <para>
    /// The element arrays are allocated once, in the constructor; building and changing screens allocates nothing.
    /// Texts are referenced, not copied: a string is immutable, and a char[] source counts as changed whenever the
    /// screen is rebuilt. Not thread-safe: the screen layer's lock guards it.
    /// </para>
    /// </summary>
    public sealed class TftScene
    {
        /// <summary>Elements of one screen; a layout that needs more throws.</summary>
        public const int MaxElements = 40;

        /// <summary>Separate dirty rectangles kept before neighbours are merged.</summary>
        public const int MaxDirty = 8;

        private readonly int[] _kind = new int[MaxElements];
        private readonly int[] _x = new int[MaxElements];
        private readonly int[] _y = new int[MaxElements];
        private readonly int[] _width = new int[MaxElements];
        private readonly int[] _height = new int[MaxElements];
        private readonly int[] _foreground = new int[MaxElements];
        private readonly int[] _background = new int[MaxElements];

        // Text: scale | align << 8; modules: scale | quiet << 8; bitmap: scale.
        private readonly int[] _style = new int[MaxElements];
        private readonly int[] _start = new int[MaxElements];
        private readonly int[] _length = new int[MaxElements];

        // Text: its pixel width at its scale, measured once.
        private readonly int[] _measured = new int[MaxElements];
        private readonly object[] _source = new object[MaxElements];
        private readonly Font[] _font = new Font[MaxElements];

        private readonly int[] _dirtyLeft = new int[MaxDirty];
        private readonly int[] _dirtyTop = new int[MaxDirty];
        private readonly int[] _dirtyRight = new int[MaxDirty];
        private readonly int[] _dirtyBottom = new int[MaxDirty];
        private int _dirtyCount;

        private int _count;
        private int _previousCount;
        private bool _building;

        public TftScene(int width, int height)
        {
            if (width < 1 || height < 1 || width > 1024 || height > 1024)
            {
                throw new ArgumentOutOfRangeException("width", "screen must be 1..1024 pixels each way, was " + width + "x" + height);
            }

            Width = width;
            Height = height;
            MarkAllDirty();
        }

        public int Width { get; private set; }

        public int Height { get; private set; }

        /// <summary>RGB565 colour of every pixel no element covers.</summary>
        public int Background { get; private set; }

        /// <summary>Elements of the current screen.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>True when some pixels changed since the driver last sent them.</summary>
        public bool IsDirty
        {
            get { return _dirtyCount > 0; }
        }

        // ---- building a screen ----

        /// <summary>Starts a new screen on <paramref name="background"/>; add its elements, then call <see cref="End"/>.</summary>
        public void Begin(int background)
        {
            if (_building)
            {
                throw new InvalidOperationException("scene: Begin while a screen is being built");
            }

            _building = true;
            _previousCount = _count;
            _count = 0;
            if (background != Background)
            {
                Background = background;
                MarkAllDirty();
            }
        }

        /// <summary>Finishes the screen: what the old screen had beyond the new one's elements becomes background.</summary>
        public void End()
        {
            RequireBuilding();
            for (int i = _count; i < _previousCount; i++)
            {
                AddDirty(_x[i], _y[i], _x[i] + _width[i], _y[i] + _height[i]);
                _kind[i] = (int)SceneElementKind.None;
                _source[i] = null;
                _font[i] = null;
            }

            _previousCount = 0;
            _building = false;
        }

        /// <summary>A rectangle of one colour; returns the element's index.</summary>
        public int Fill(int x, int y, int width, int height, int colour)
        {
            return Add(SceneElementKind.Fill, x, y, width, height, colour, colour, 0, null, null, 0, 0, 0);
        }

        /// <summary>
        /// <paramref name="count"/> characters of <paramref name="text"/> from <paramref name="start"/> in
        /// <paramref name="font"/> at <paramref name="scale"/>, aligned in the box, centred vertically, clipped at the
        /// box; the rest of the box is <paramref name="background"/>.
        /// </summary>
        public int Text(int x, int y, int width, int height, Font font, int scale, TextAlign align, string text, int start, int count, int foreground, int background)
        {
            CheckFont(font, scale, height);
            CheckRange(text == null ? 0 : text.Length, start, count);
            int measured = text == null ? 0 : font.Measure(text, start, count) * scale;
            return Add(SceneElementKind.Text, x, y, width, height, foreground, background, scale | ((int)align << 8), text, font, start, count, measured);
        }

        /// <summary>Like the string overload, for characters in a caller's buffer (counted as changed at every rebuild).</summary>
        public int Text(int x, int y, int width, int height, Font font, int scale, TextAlign align, char[] chars, int count, int foreground, int background)
        {
            CheckFont(font, scale, height);
            CheckRange(chars == null ? 0 : chars.Length, 0, count);
            int measured = font.Measure(chars, 0, count) * scale;
            return Add(SceneElementKind.Text, x, y, width, height, foreground, background, scale | ((int)align << 8), chars, font, 0, count, measured);
        }

        /// <summary>
        /// <paramref name="matrix"/> with <paramref name="quiet"/> light modules around it, each module
        /// <paramref name="scale"/> pixels square, its quiet zone's top-left corner at (x, y). Returns the index.
        /// </summary>
        public int Modules(int x, int y, IModuleMatrix matrix, int scale, int quiet, int dark, int light)
        {
            if (matrix == null)
            {
                throw new ArgumentNullException("matrix");
            }

            if (scale < 1 || quiet < 0 || scale > 255 || quiet > 255)
            {
                throw new ArgumentOutOfRangeException("scale", "module scale must be 1..255 and quiet zone 0..255, was " + scale + " and " + quiet);
            }

            int side = (matrix.Size + 2 * quiet) * scale;
            return Add(SceneElementKind.Modules, x, y, side, side, dark, light, scale | (quiet << 8), matrix, null, 0, 0, 0);
        }

        /// <summary><paramref name="plane"/> at <paramref name="scale"/>, centred in the box, set pixels in the foreground colour.</summary>
        public int Bitmap(int x, int y, int width, int height, BitPlane plane, int scale, int foreground, int background)
        {
            if (plane == null)
            {
                throw new ArgumentNullException("plane");
            }

            if (scale < 1 || scale > 255)
            {
                throw new ArgumentOutOfRangeException("scale", "bitmap scale must be 1..255, was " + scale);
            }

            return Add(SceneElementKind.Bitmap, x, y, width, height, foreground, background, scale, plane, null, 0, 0, 0);
        }

        // ---- changing one element in place ----

        /// <summary>Shows other characters in a text element (e.g. a countdown digit); dirty only when they differ.</summary>
        public void SetText(int element, string text, int start, int count)
        {
            CheckElement(element, SceneElementKind.Text);
            CheckRange(text == null ? 0 : text.Length, start, count);
            if (SameText(element, text, start, count))
            {
                return;
            }

            _source[element] = text;
            _start[element] = start;
            _length[element] = count;
            _measured[element] = text == null ? 0 : _font[element].Measure(text, start, count) * (_style[element] & 0xFF);
            AddDirty(_x[element], _y[element], _x[element] + _width[element], _y[element] + _height[element]);
        }

        /// <summary>Recolours an element's foreground (e.g. a spinner dot); dirty only when it differs.</summary>
        public void SetForeground(int element, int colour)
        {
            CheckElement(element, SceneElementKind.None);
            if (_foreground[element] == colour)
            {
                return;
            }

            _foreground[element] = colour;
            if (_kind[element] == (int)SceneElementKind.Fill)
            {
                _background[element] = colour;
            }

            AddDirty(_x[element], _y[element], _x[element] + _width[element], _y[element] + _height[element]);
        }

        // ---- dirty rectangles ----

        /// <summary>Everything must be sent again (after the controller was initialised).</summary>
        public void MarkAllDirty()
        {
            _dirtyCount = 1;
            _dirtyLeft[0] = 0;
            _dirtyTop[0] = 0;
            _dirtyRight[0] = Width;
            _dirtyBottom[0] = Height;
        }

        internal int DirtyCount
        {
            get { return _dirtyCount; }
        }

        internal int DirtyLeft(int i)
        {
            return _dirtyLeft[i];
        }

        internal int DirtyTop(int i)
        {
            return _dirtyTop[i];
        }

        /// <summary>First column right of dirty rectangle <paramref name="i"/>.</summary>
        internal int DirtyRight(int i)
        {
            return _dirtyRight[i];
        }

        /// <summary>First row below dirty rectangle <paramref name="i"/>.</summary>
        internal int DirtyBottom(int i)
        {
            return _dirtyBottom[i];
        }

        /// <summary>The driver sent every dirty rectangle.</summary>
        internal void MarkClean()
        {
            _dirtyCount = 0;
        }

        // ---- what the renderer reads ----

        internal SceneElementKind KindOf(int i)
        {
            return (SceneElementKind)_kind[i];
        }

        internal int X(int i)
        {
            return _x[i];
        }

        internal int Y(int i)
        {
            return _y[i];
        }

        internal int WidthOf(int i)
        {
            return _width[i];
        }

        internal int HeightOf(int i)
        {
            return _height[i];
        }

        internal int ForegroundOf(int i)
        {
            return _foreground[i];
        }

        internal int BackgroundOf(int i)
        {
            return _background[i];
        }

        internal int ScaleOf(int i)
        {
            return _style[i] & 0xFF;
        }

        /// <summary>Text: the alignment; modules: the quiet zone in modules.</summary>
        internal int Style2Of(int i)
        {
            return (_style[i] >> 8) & 0xFF;
        }

        internal int StartOf(int i)
        {
            return _start[i];
        }

        internal int LengthOf(int i)
        {
            return _length[i];
        }

        internal int MeasuredOf(int i)
        {
            return _measured[i];
        }

        internal object SourceOf(int i)
        {
            return _source[i];
        }

        internal Font FontOf(int i)
        {
            return _font[i];
        }

        // ---- helpers ----

        private int Add(SceneElementKind kind, int x, int y, int width, int height, int foreground, int background, int style,
            object source, Font font, int start, int length, int measured)
        {
            RequireBuilding();
            if (_count == MaxElements)
            {
                throw new InvalidOperationException("scene: more than " + MaxElements + " elements");
            }

            if (width < 1 || height < 1 || x < 0 || y < 0 || x + width > Width || y + height > Height)
            {
                throw new ArgumentOutOfRangeException("x", "element " + x + "," + y + " " + width + "x" + height + " is not inside the " + Width + "x" + Height + " screen");
            }

            for (int i = 0; i < _count; i++)
            {
                if (x < _x[i] + _width[i] && _x[i] < x + width && y < _y[i] + _height[i] && _y[i] < y + height)
                {
                    throw new InvalidOperationException("scene: element " + _count + " overlaps element " + i);
                }
            }

            int slot = _count;
            bool same = slot < _previousCount && kind != SceneElementKind.Modules && _kind[slot] == (int)kind
                && _x[slot] == x && _y[slot] == y && _width[slot] == width && _height[slot] == height
                && _foreground[slot] == foreground && _background[slot] == background && _style[slot] == style
                && _font[slot] == font && SameSource(slot, source, start, length);
            if (!same)
            {
                if (slot < _previousCount)
                {
                    AddDirty(_x[slot], _y[slot], _x[slot] + _width[slot], _y[slot] + _height[slot]);
                }

                AddDirty(x, y, x + width, y + height);
            }

            _kind[slot] = (int)kind;
            _x[slot] = x;
            _y[slot] = y;
            _width[slot] = width;
            _height[slot] = height;
            _foreground[slot] = foreground;
            _background[slot] = background;
            _style[slot] = style;
            _source[slot] = source;
            _font[slot] = font;
            _start[slot] = start;
            _length[slot] = length;
            _measured[slot] = measured;
            _count++;
            return slot;
        }

        private bool SameSource(int slot, object source, int start, int length)
        {
            if (source is char[] || _source[slot] is char[])
            {
                return false;
            }

            string text = source as string;
            if (text != null || _source[slot] is string)
            {
                return SameText(slot, text, start, length);
            }

            return source == _source[slot];
        }

        private bool SameText(int slot, string text, int start, int length)
        {
            string old = _source[slot] as string;
            if (old == null || text == null)
            {
                return old == null && text == null && _source[slot] == null;
            }

            if (_length[slot] != length)
            {
                return false;
            }

            int oldStart = _start[slot];
            for (int i = 0; i < length; i++)
            {
                if (old[oldStart + i] != text[start + i])
                {
                    return false;
                }
            }

            return true;
        }

        private void AddDirty(int left, int top, int right, int bottom)
        {
            left = left < 0 ? 0 : left;
            top = top < 0 ? 0 : top;
            right = right > Width ? Width : right;
            bottom = bottom > Height ? Height : bottom;
            while (left < right && top < bottom)
            {
                // Absorb every rectangle this one overlaps, so the list never holds overlapping rectangles.
                int hit = -1;
                for (int i = 0; i < _dirtyCount && hit < 0; i++)
                {
                    if (left < _dirtyRight[i] && _dirtyLeft[i] < right && top < _dirtyBottom[i] && _dirtyTop[i] < bottom)
                    {
                        hit = i;
                    }
                }

                if (hit < 0 && _dirtyCount < MaxDirty)
                {
                    _dirtyLeft[_dirtyCount] = left;
                    _dirtyTop[_dirtyCount] = top;
                    _dirtyRight[_dirtyCount] = right;
                    _dirtyBottom[_dirtyCount] = bottom;
                    _dirtyCount++;
                    return;
                }

                if (hit < 0)
                {
                    hit = LeastGrowth(left, top, right, bottom);
                }

                left = left < _dirtyLeft[hit] ? left : _dirtyLeft[hit];
                top = top < _dirtyTop[hit] ? top : _dirtyTop[hit];
                right = right > _dirtyRight[hit] ? right : _dirtyRight[hit];
                bottom = bottom > _dirtyBottom[hit] ? bottom : _dirtyBottom[hit];
                RemoveDirty(hit);
            }
        }

        private int LeastGrowth(int left, int top, int right, int bottom)
        {
            int best = 0;
            long bestGrowth = long.MaxValue;
            for (int i = 0; i < _dirtyCount; i++)
            {
                long l = left < _dirtyLeft[i] ? left : _dirtyLeft[i];
                long t = top < _dirtyTop[i] ? top : _dirtyTop[i];
                long r = right > _dirtyRight[i] ? right : _dirtyRight[i];
                long b = bottom > _dirtyBottom[i] ? bottom : _dirtyBottom[i];
                long growth = (r - l) * (b - t) - (long)(_dirtyRight[i] - _dirtyLeft[i]) * (_dirtyBottom[i] - _dirtyTop[i]);
                if (growth < bestGrowth)
                {
                    bestGrowth = growth;
                    best = i;
                }
            }

            return best;
        }

        private void RemoveDirty(int index)
        {
            _dirtyCount--;
            _dirtyLeft[index] = _dirtyLeft[_dirtyCount];
            _dirtyTop[index] = _dirtyTop[_dirtyCount];
            _dirtyRight[index] = _dirtyRight[_dirtyCount];
            _dirtyBottom[index] = _dirtyBottom[_dirtyCount];
        }

        private void RequireBuilding()
        {
            if (!_building)
            {
                throw new InvalidOperationException("scene: elements are added between Begin and End");
            }
        }

        private void CheckElement(int element, SceneElementKind kind)
        {
            if (element < 0 || element >= _count || (kind != SceneElementKind.None && _kind[element] != (int)kind))
            {
                throw new ArgumentOutOfRangeException("element", "no " + (kind == SceneElementKind.None ? "element" : "text element") + " " + element);
            }
        }

        private static void CheckFont(Font font, int scale, int height)
        {
            if (font == null)
            {
                throw new ArgumentNullException("font");
            }

            if (scale < 1 || scale > 255 || font.Height * scale > height)
            {
                throw new ArgumentOutOfRangeException("scale", "text at scale " + scale + " is taller than its " + height + "-pixel box");
            }
        }

        private static void CheckRange(int length, int start, int count)
        {
            if (start < 0 || count < 0 || start + count > length)
            {
                throw new ArgumentOutOfRangeException("count", "characters " + start + ".." + (start + count) + " are not in a text of " + length);
            }
        }
    }
}
