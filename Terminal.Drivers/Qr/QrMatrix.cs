using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// The module grid of one symbol, bit-packed (bit y*size+x), with a second bit plane that marks function
    /// modules (finder, separator, timing, alignment, format and version areas), which masking and codeword
    /// placement skip. Both planes are allocated once for the largest version; Reset reuses them.
    /// </summary>
    internal sealed class QrMatrix
    {
        private readonly byte[] _dark;
        private readonly byte[] _function;
        private int _size;
        private int _version;

        internal QrMatrix(int maxVersion)
        {
            int maxSize = QrTables.Size(maxVersion);
            int bytes = (maxSize * maxSize + 7) / 8;
            _dark = new byte[bytes];
            _function = new byte[bytes];
        }

        internal int Size
        {
            get { return _size; }
        }

        internal int Version
        {
            get { return _version; }
        }

        /// <summary>The dark plane: bit (y*Size+x), least significant bit first within a byte.</summary>
        internal byte[] Bits
        {
            get { return _dark; }
        }

        internal bool IsDark(int x, int y)
        {
            int i = y * _size + x;
            return ((_dark[i >> 3] >> (i & 7)) & 1) != 0;
        }

        internal bool IsFunction(int x, int y)
        {
            int i = y * _size + x;
            return ((_function[i >> 3] >> (i & 7)) & 1) != 0;
        }

        internal void SetDark(int x, int y, bool dark)
        {
            int i = y * _size + x;
            if (dark)
            {
                _dark[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                _dark[i >> 3] &= (byte)~(1 << (i & 7));
            }
        }

        private void SetFunction(int x, int y, bool dark)
        {
            SetDark(x, y, dark);
            int i = y * _size + x;
            _function[i >> 3] |= (byte)(1 << (i & 7));
        }

        /// <summary>Clears the grid for a version and draws every function pattern (format bits as placeholders).</summary>
        internal void Reset(int version)
        {
            Debug.Assert(QrTables.Size(version) * QrTables.Size(version) <= _dark.Length * 8);
            _version = version;
            _size = QrTables.Size(version);
            int bytes = (_size * _size + 7) / 8;
            for (int i = 0; i < bytes; i++)
            {
                _dark[i] = 0;
                _function[i] = 0;
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
            int bits = QrTables.FormatBits(ecc, mask);
            int size = _size;
            for (int i = 0; i <= 5; i++)
            {
                SetFunction(8, i, Bit(bits, i));
            }

            SetFunction(8, 7, Bit(bits, 6));
            SetFunction(8, 8, Bit(bits, 7));
            SetFunction(7, 8, Bit(bits, 8));
            for (int i = 9; i < 15; i++)
            {
                SetFunction(14 - i, 8, Bit(bits, i));
            }

            for (int i = 0; i < 8; i++)
            {
                SetFunction(size - 1 - i, 8, Bit(bits, i));
            }

            for (int i = 8; i < 15; i++)
            {
                SetFunction(8, size - 15 + i, Bit(bits, i));
            }

            SetFunction(8, size - 8, true); // the dark module (section 7.9.1)
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

        /// <summary>
        /// XORs data mask pattern 0-7 (section 7.8.2, Table 10; i = row y, j = column x) onto the data modules.
        /// Runs 16 times per automatic encode, so the residues are kept as counters instead of divisions
        /// (on the nanoFramework interpreter every IL instruction counts); MaskBit is the plain definition.
        /// </summary>
        internal void ApplyMask(int mask)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            int size = _size;
            byte[] dark = _dark;
            byte[] function = _function;
            int i = 0;
            int y3 = 0; // y % 3
            for (int y = 0; y < size; y++)
            {
                int x3 = 0;       // x % 3
                int xThird = 0;   // x / 3
                int product3 = 0; // (x * y) % 3, steps by y % 3 as x grows
                for (int x = 0; x < size; x++)
                {
                    bool flip;
                    switch (mask)
                    {
                        case 0: flip = ((y + x) & 1) == 0; break;
                        case 1: flip = (y & 1) == 0; break;
                        case 2: flip = x3 == 0; break;
                        case 3: flip = x3 + y3 == 0 || x3 + y3 == 3; break;
                        case 4: flip = (((y >> 1) + xThird) & 1) == 0; break;
                        case 5: flip = (x & y & 1) == 0 && product3 == 0; break;
                        case 6: flip = (((x & y & 1) + product3) & 1) == 0; break;
                        default: flip = ((((x + y) & 1) + product3) & 1) == 0; break;
                    }

                    if (flip)
                    {
                        int bit = 1 << (i & 7);
                        if ((function[i >> 3] & bit) == 0)
                        {
                            dark[i >> 3] ^= (byte)bit;
                        }
                    }

                    i++;
                    if (++x3 == 3)
                    {
                        x3 = 0;
                        xThird++;
                    }

                    product3 += y3;
                    if (product3 >= 3)
                    {
                        product3 -= 3;
                    }
                }

                if (++y3 == 3)
                {
                    y3 = 0;
                }
            }
        }

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
