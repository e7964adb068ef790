using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// The module grid of one symbol as bit planes of 32-bit words, each row starting on a new word (bit x of
    /// row y is bit x%32 of word y*Stride + x/32): a dark plane, a function plane marking the modules that
    /// masking and codeword placement skip (finders, separators, timing, alignment, format and version areas,
    /// and the padding bits past the row end), and a scratch plane where masks are tried. Word-aligned rows
    /// let masking and the penalty work 32 modules at a time. All planes are allocated once for the largest
    /// version; Reset reuses them.
    /// </summary>
    internal sealed class QrMatrix
    {
        private readonly uint[] _dark;
        private readonly uint[] _function;
        private readonly uint[] _scratch;
        private int _size;
        private int _stride;
        private int _version;

        internal QrMatrix(int maxVersion)
        {
            int maxSize = QrTables.Size(maxVersion);
            int words = maxSize * ((maxSize + 31) >> 5);
            _dark = new uint[words];
            _function = new uint[words];
            _scratch = new uint[words];
        }

        internal int Size
        {
            get { return _size; }
        }

        /// <summary>Words per row.</summary>
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

        internal bool IsDark(int x, int y)
        {
            return ((_dark[y * _stride + (x >> 5)] >> (x & 31)) & 1) != 0;
        }

        internal bool IsFunction(int x, int y)
        {
            return ((_function[y * _stride + (x >> 5)] >> (x & 31)) & 1) != 0;
        }

        internal void SetDark(int x, int y, bool dark)
        {
            SetBit(_dark, x, y, dark);
        }

        private void SetBit(uint[] plane, int x, int y, bool value)
        {
            int i = y * _stride + (x >> 5);
            uint bit = 1u << (x & 31);
            if (value)
            {
                plane[i] |= bit;
            }
            else
            {
                plane[i] &= ~bit;
            }
        }

        private void SetFunction(int x, int y, bool dark)
        {
            SetBit(_dark, x, y, dark);
            SetBit(_function, x, y, true);
        }

        /// <summary>Clears the grid for a version and draws every function pattern (format bits as placeholders).</summary>
        internal void Reset(int version)
        {
            _version = version;
            _size = QrTables.Size(version);
            _stride = (_size + 31) >> 5;
            int words = _size * _stride;
            Debug.Assert(words <= _dark.Length);

            // Padding past the row end counts as function, so masks never set it.
            int tail = _size & 31;
            uint padding = tail == 0 ? 0u : ~((1u << tail) - 1u);
            for (int i = 0; i < words; i++)
            {
                _dark[i] = 0;
                _function[i] = (i % _stride) == _stride - 1 ? padding : 0u;
            }

            DrawFunctionPatterns();
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

            // Reserve the format areas now (placeholder mask 0); DrawFormat rewrites them for the chosen mask.
            DrawFormat(QrErrorCorrection.Low, 0);
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
        /// row 8 from the right edge leftwards, bits 8-14 down column 8 from row size-7; plus the dark module.
        /// </summary>
        internal void DrawFormat(QrErrorCorrection ecc, int mask)
        {
            DrawFormat(_dark, ecc, mask, true);
        }

        private void DrawFormat(uint[] plane, QrErrorCorrection ecc, int mask, bool markFunction)
        {
            int bits = QrTables.FormatBits(ecc, mask);
            int size = _size;
            for (int i = 0; i < 15; i++)
            {
                bool dark = Bit(bits, i);

                // Copy 1 (around the top-left finder), then copy 2 (split between the other two finders).
                int x1 = i <= 7 ? 8 : i == 8 ? 7 : 14 - i;
                int y1 = i <= 5 ? i : i <= 7 ? i + 1 : 8;
                int x2 = i < 8 ? size - 1 - i : 8;
                int y2 = i < 8 ? 8 : size - 15 + i;
                SetBit(plane, x1, y1, dark);
                SetBit(plane, x2, y2, dark);
                if (markFunction)
                {
                    SetBit(_function, x1, y1, true);
                    SetBit(_function, x2, y2, true);
                }
            }

            SetBit(plane, 8, size - 8, true); // the dark module (section 7.9.1)
            if (markFunction)
            {
                SetBit(_function, 8, size - 8, true);
            }
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
            int totalBits = count * 8;
            int bit = 0;
            for (int right = size - 1; right >= 1; right -= 2)
            {
                if (right == 6)
                {
                    right = 5;
                }

                // size-1 = 16+4v is a multiple of 4, so (right+1) & 2 is 0 exactly on the upward pairs.
                bool upward = ((right + 1) & 2) == 0;
                for (int step = 0; step < size; step++)
                {
                    int y = upward ? size - 1 - step : step;
                    for (int j = 0; j < 2; j++)
                    {
                        int x = right - j;
                        if (IsFunction(x, y))
                        {
                            continue;
                        }

                        if (bit < totalBits)
                        {
                            SetDark(x, y, ((codewords[bit >> 3] >> (7 - (bit & 7))) & 1) != 0);
                        }

                        bit++;
                    }
                }
            }

            Debug.Assert(bit == QrTables.RawDataModules(_version)); // every data module visited once
            Debug.Assert(bit - totalBits <= 7);
        }

        /// <summary>XORs data mask pattern 0-7 onto the data modules of the dark plane.</summary>
        internal void ApplyMask(int mask)
        {
            Mask(mask, _dark);
        }

        /// <summary>
        /// Writes the symbol as it would be with mask 0-7 and its format bits into the scratch plane, leaving
        /// the dark plane as it is, and returns the scratch plane for scoring.
        /// </summary>
        internal uint[] TryMask(QrErrorCorrection ecc, int mask)
        {
            Mask(mask, _scratch);
            DrawFormat(_scratch, ecc, mask, false);
            return _scratch;
        }

        /// <summary>
        /// target = dark XOR (mask pattern AND NOT function), 32 modules per step. Every mask of Table 10 repeats
        /// every 6 columns (the residues x mod 2 and x mod 3 decide it), so one row's pattern comes from 6
        /// evaluations, copied into a 42-bit word; word w of the row starts at column 32w, phase 32w mod 6.
        /// </summary>
        private void Mask(int mask, uint[] target)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            int stride = _stride;
            int i = 0;
            for (int y = 0; y < _size; y++)
            {
                ulong six = 0;
                for (int x = 0; x < 6; x++)
                {
                    if (MaskBit(mask, x, y))
                    {
                        six |= 1ul << x;
                    }
                }

                ulong pattern = six | (six << 6) | (six << 12) | (six << 18) | (six << 24) | (six << 30) | (six << 36);
                int phase = 0;
                for (int w = 0; w < stride; w++)
                {
                    uint bits = (uint)(pattern >> phase);
                    target[i] = _dark[i] ^ (bits & ~_function[i]);
                    i++;
                    phase += 2; // 32 mod 6
                    if (phase == 6)
                    {
                        phase = 0;
                    }
                }
            }
        }

        /// <summary>Table 10 as written (i = row y, j = column x).</summary>
        internal static bool MaskBit(int mask, int x, int y)
        {
            switch (mask)
            {
                case 0: return (y + x) % 2 == 0;
                case 1: return y % 2 == 0;
                case 2: return x % 3 == 0;
                case 3: return (y + x) % 3 == 0;
                case 4: return (y / 2 + x / 3) % 2 == 0;
                case 5: return (y * x) % 2 + (y * x) % 3 == 0;
                case 6: return ((y * x) % 2 + (y * x) % 3) % 2 == 0;
                default: return ((y + x) % 2 + (y * x) % 3) % 2 == 0;
            }
        }
    }
}
