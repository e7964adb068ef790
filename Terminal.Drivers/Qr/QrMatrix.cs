using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// The module grid of one symbol as bit planes of 32-bit words, each row starting on a new word (bit x of
    /// row y is bit x%32 of word y*Stride + x/32): a dark plane, and a function plane marking the modules that
    /// masking and codeword placement skip (finders, separators, timing, alignment, format and version areas,
    /// and the padding bits past the row end). Both planes are also kept transposed (bit y of column x is bit
    /// y%32 of word x*Stride + y/32), so that the penalty reads columns a word at a time as it reads rows.
    /// All planes are allocated once for the largest version; Reset reuses them.
    /// </summary>
    internal sealed class QrMatrix
    {
        private readonly uint[] _dark;
        private readonly uint[] _function;
        private readonly uint[] _darkColumns;
        private readonly uint[] _functionColumns;
        private readonly QrMasks _masks = new QrMasks();
        private int _size;
        private int _stride;
        private int _version;
        private int _drawnFormat; // the format bits in the dark planes now (0 = all light)
        private int _patternsVersion; // the version whose function patterns the planes hold intact, 0 = none

        internal QrMatrix(int maxVersion)
        {
            int maxSize = QrTables.Size(maxVersion);
            int words = maxSize * ((maxSize + 31) >> 5);
            _dark = new uint[words];
            _function = new uint[words];
            _darkColumns = new uint[words];
            _functionColumns = new uint[words];
        }

        internal int Size
        {
            get { return _size; }
        }

        /// <summary>Words per row (and per column in the transposed planes).</summary>
        internal int Stride
        {
            get { return _stride; }
        }

        internal int Version
        {
            get { return _version; }
        }

        /// <summary>The dark plane (see the class summary for the layout); padding bits are always 0.</summary>
        internal uint[] Bits
        {
            get { return _dark; }
        }

        internal uint[] Function
        {
            get { return _function; }
        }

        /// <summary>
        /// The dark plane transposed, before masking: the chosen mask is applied to <see cref="Bits"/> only,
        /// so this plane serves the penalty of candidate masks and is stale once a symbol is finished.
        /// </summary>
        internal uint[] BitsByColumn
        {
            get { return _darkColumns; }
        }

        internal uint[] FunctionByColumn
        {
            get { return _functionColumns; }
        }

        internal QrMasks Masks
        {
            get { return _masks; }
        }

        internal bool IsDark(int x, int y)
        {
            return ((_dark[y * _stride + (x >> 5)] >> (x & 31)) & 1) != 0;
        }

        internal bool IsFunction(int x, int y)
        {
            return ((_function[y * _stride + (x >> 5)] >> (x & 31)) & 1) != 0;
        }

        /// <summary>
        /// Sets a module in both orientations (for tests and checks: the encoder writes modules through
        /// Reset, PlaceCodewords and DrawFormat). The next Reset draws the function patterns again.
        /// </summary>
        internal void SetDark(int x, int y, bool dark)
        {
            WriteModule(x, y, dark);
            _patternsVersion = 0;
        }

        private void WriteModule(int x, int y, bool dark)
        {
            int row = y * _stride + (x >> 5);
            int column = x * _stride + (y >> 5);
            uint rowBit = 1u << (x & 31);
            uint columnBit = 1u << (y & 31);
            if (dark)
            {
                _dark[row] |= rowBit;
                _darkColumns[column] |= columnBit;
            }
            else
            {
                _dark[row] &= ~rowBit;
                _darkColumns[column] &= ~columnBit;
            }
        }

        private void SetFunction(int x, int y, bool dark)
        {
            WriteModule(x, y, dark);
            _function[y * _stride + (x >> 5)] |= 1u << (x & 31);
            _functionColumns[x * _stride + (y >> 5)] |= 1u << (y & 31);
        }

        /// <summary>
        /// Clears the grid for a version and draws every function pattern (the format areas light). When the
        /// planes already hold that version's function patterns (the last symbol had the same version), they
        /// are kept, with the format bits drawn last, and only the data modules are cleared: DrawFormat then
        /// writes the new format bits either way.
        /// </summary>
        internal void Reset(int version)
        {
            if (version == _patternsVersion)
            {
                int used = _size * _stride;
                for (int i = 0; i < used; i++)
                {
                    _dark[i] &= _function[i];
                    _darkColumns[i] &= _functionColumns[i];
                }

                return;
            }

            _version = version;
            _size = QrTables.Size(version);
            _stride = (_size + 31) >> 5;
            int words = _size * _stride;
            Debug.Assert(words <= _dark.Length);

            // Padding past the row (column) end counts as function, so masks never set it.
            int tail = _size & 31;
            uint padding = tail == 0 ? 0u : ~((1u << tail) - 1u);
            for (int i = 0; i < words; i++)
            {
                uint function = (i % _stride) == _stride - 1 ? padding : 0u;
                _dark[i] = 0;
                _darkColumns[i] = 0;
                _function[i] = function;
                _functionColumns[i] = function;
            }

            DrawFunctionPatterns();
            _patternsVersion = version;
        }

        private void DrawFunctionPatterns()
        {
            int size = _size;

            // Timing patterns (section 6.3.5): row 6 and column 6, dark on even coordinates; the finders
            // drawn next overwrite their ends.
            for (int i = 0; i < size; i++)
            {
                SetFunction(6, i, i % 2 == 0);
                SetFunction(i, 6, i % 2 == 0);
            }

            DrawFinder(3, 3);
            DrawFinder(size - 4, 3);
            DrawFinder(3, size - 4);

            // Alignment patterns (section 6.3.6) on every pair of Annex E centres, except the three that
            // would overlap a finder.
            int n = QrTables.AlignmentCount(_version);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    bool finderCorner = (i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0);
                    if (!finderCorner)
                    {
                        DrawAlignment(QrTables.AlignmentCentre(_version, i), QrTables.AlignmentCentre(_version, j));
                    }
                }
            }

            // Reserve the format areas now (light); DrawFormat writes the bits of a level and mask into them.
            for (int i = 0; i < 15; i++)
            {
                SetFunction(FormatX(i, false), FormatY(i, false), false);
                SetFunction(FormatX(i, true), FormatY(i, true), false);
            }

            _drawnFormat = 0;
            SetFunction(8, size - 8, true); // the dark module (section 7.9.1)
            if (_version >= 7)
            {
                DrawVersion();
            }
        }

        /// <summary>7x7 finder (section 6.3.3) with its light separator, clipped at the symbol edge.</summary>
        private void DrawFinder(int cx, int cy)
        {
            for (int dy = -4; dy <= 4; dy++)
            {
                for (int dx = -4; dx <= 4; dx++)
                {
                    int x = cx + dx;
                    int y = cy + dy;
                    if (x < 0 || x >= _size || y < 0 || y >= _size)
                    {
                        continue;
                    }

                    int ring = Chebyshev(dx, dy);
                    SetFunction(x, y, ring != 2 && ring != 4);
                }
            }
        }

        /// <summary>5x5 alignment pattern (section 6.3.6): dark centre and outer ring.</summary>
        private void DrawAlignment(int cx, int cy)
        {
            for (int dy = -2; dy <= 2; dy++)
            {
                for (int dx = -2; dx <= 2; dx++)
                {
                    SetFunction(cx + dx, cy + dy, Chebyshev(dx, dy) != 1);
                }
            }
        }

        private static int Chebyshev(int dx, int dy)
        {
            int ax = dx < 0 ? -dx : dx;
            int ay = dy < 0 ? -dy : dy;
            return ax > ay ? ax : ay;
        }

        /// <summary>
        /// Both copies of the 15 format bits (section 7.9.1, Figure 25), bit 0 = least significant.
        /// Copy 1 around the top-left finder: bits 0-5 down column 8 (rows 0-5), 6-7 at rows 7-8 (skipping
        /// the timing row), 8 at (7,8), bits 9-14 leftwards along row 8 (columns 5..0). Copy 2: bits 0-7 along
        /// row 8 from the right edge leftwards, bits 8-14 down column 8 from row size-7. (The dark module
        /// beside copy 2 is drawn with the function patterns.)
        /// </summary>
        /// <remarks>
        /// Only the modules whose bit differs from the format drawn last are written, so trying the 8 masks
        /// costs a few module writes each.
        /// </remarks>
        internal void DrawFormat(QrErrorCorrection ecc, int mask)
        {
            int bits = QrTables.FormatBits(ecc, mask);
            int changed = bits ^ _drawnFormat;
            for (int i = 0; changed != 0; i++, changed >>= 1)
            {
                if ((changed & 1) != 0)
                {
                    bool dark = Bit(bits, i);
                    WriteModule(FormatX(i, false), FormatY(i, false), dark);
                    WriteModule(FormatX(i, true), FormatY(i, true), dark);
                }
            }

            _drawnFormat = bits;
        }

        // Copy 1 (around the top-left finder), then copy 2 (split between the other two finders).
        private int FormatX(int i, bool secondCopy)
        {
            if (secondCopy)
            {
                return i < 8 ? _size - 1 - i : 8;
            }

            return i <= 7 ? 8 : i == 8 ? 7 : 14 - i;
        }

        private int FormatY(int i, bool secondCopy)
        {
            if (secondCopy)
            {
                return i < 8 ? 8 : _size - 15 + i;
            }

            return i <= 5 ? i : i <= 7 ? i + 1 : 8;
        }

        /// <summary>
        /// Both copies of the 18 version bits (section 7.10, Figure 27): bit i sits at x = size-11 + i%3,
        /// y = i/3 in the 3x6 block left of the top-right finder, and transposed in the 6x3 block above the
        /// bottom-left finder.
        /// </summary>
        private void DrawVersion()
        {
            int bits = QrTables.VersionBits(_version);
            for (int i = 0; i < 18; i++)
            {
                int a = _size - 11 + i % 3;
                int b = i / 3;
                bool dark = Bit(bits, i);
                SetFunction(a, b, dark);
                SetFunction(b, a, dark);
            }
        }

        private static bool Bit(int value, int index)
        {
            return ((value >> index) & 1) != 0;
        }

        /// <summary>
        /// Places the codeword sequence (section 7.7.3): two-module-wide columns from the right edge, upwards
        /// then downwards alternately, skipping the vertical timing column and all function modules; within
        /// a column pair the right module comes first; codeword bits most significant first. Modules left over
        /// are the remainder bits, light before masking.
        /// </summary>
        internal void PlaceCodewords(byte[] codewords, int count)
        {
            int size = _size;
            int stride = _stride;
            uint[] dark = _dark;
            uint[] darkColumns = _darkColumns;
            uint[] functionColumns = _functionColumns;
            int totalBits = count * 8;
            int bit = 0;
            int value = 0; // the codeword being placed, shifted left one bit per module (most significant first)
            for (int right = size - 1; right >= 1; right -= 2)
            {
                if (right == 6)
                {
                    right = 5;
                }

                int left = right - 1;
                int rightLine = right * stride;
                int leftLine = left * stride;
                int rightWord = right >> 5;
                int leftWord = left >> 5;
                uint rightBit = 1u << (right & 31);
                uint leftBit = 1u << (left & 31);

                // size-1 = 16+4v is a multiple of 4, so (right+1) & 2 is 0 exactly on the upward pairs.
                bool upward = ((right + 1) & 2) == 0;
                int y = upward ? size - 1 : 0;
                int dy = upward ? -1 : 1;
                int cachedWord = -1;
                uint rightFunction = 0;
                uint leftFunction = 0;
                for (int step = 0; step < size; step++, y += dy)
                {
                    // The column planes give the function bits of 32 rows of the pair in two words.
                    int yWord = y >> 5;
                    uint yBit = 1u << (y & 31);
                    if (yWord != cachedWord)
                    {
                        cachedWord = yWord;
                        rightFunction = functionColumns[rightLine + yWord];
                        leftFunction = functionColumns[leftLine + yWord];
                    }

                    // Reset left every data module light: only dark bits are written, in both orientations.
                    // The right module of the pair, then the left one.
                    if ((rightFunction & yBit) == 0)
                    {
                        if ((bit & 7) == 0)
                        {
                            value = bit < totalBits ? codewords[bit >> 3] : 0; // then the remainder bits, light
                        }

                        if ((value & 0x80) != 0)
                        {
                            dark[y * stride + rightWord] |= rightBit;
                            darkColumns[rightLine + yWord] |= yBit;
                        }

                        value <<= 1;
                        bit++;
                    }

                    if ((leftFunction & yBit) == 0)
                    {
                        if ((bit & 7) == 0)
                        {
                            value = bit < totalBits ? codewords[bit >> 3] : 0;
                        }

                        if ((value & 0x80) != 0)
                        {
                            dark[y * stride + leftWord] |= leftBit;
                            darkColumns[leftLine + yWord] |= yBit;
                        }

                        value <<= 1;
                        bit++;
                    }
                }
            }

            Debug.Assert(bit == QrTables.RawDataModules(_version)); // every data module visited once
            Debug.Assert(bit - totalBits <= 7);
        }

        /// <summary>
        /// XORs data mask pattern 0-7 onto the data modules of the dark plane, 32 modules per step:
        /// dark ^= pattern AND NOT function. The transposed plane is left unmasked.
        /// </summary>
        internal void ApplyMask(int mask)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            ushort[] units = _masks.Units;
            int unitBase = QrMasks.RowUnits(mask);
            int stride = _stride;
            int i = 0;
            for (int y = 0; y < _size; y++)
            {
                ulong pattern = QrMasks.Repeat(units[unitBase + y % QrMasks.Period]);
                int phase = 0;
                for (int w = 0; w < stride; w++)
                {
                    _dark[i] ^= (uint)(pattern >> phase) & ~_function[i];
                    i++;
                    phase = phase == 8 ? 4 : phase == 4 ? 0 : 8; // 32w mod 12: 0, 8, 4, 0, ...
                }
            }
        }
    }
}
