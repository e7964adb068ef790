namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// The 8 data mask patterns of ISO/IEC 18004:2015 Table 10, as 12-module units per line so that a mask is
    /// applied 32 modules per step along rows (for the symbol and the row penalties) and along columns (for
    /// the column penalties). Every pattern repeats every 12 modules in both directions: along x every 6
    /// (x mod 2 and x mod 3 decide it), along y every 2, 3 or 6, and every 4 for pattern 4 (y/2 mod 2).
    /// Built once per encoder from <see cref="IsDark"/>, 384 bytes.
    /// </summary>
    internal sealed class QrMasks
    {
        /// <summary>Modules after which every pattern repeats, along and across a line.</summary>
        internal const int Period = 12;

        // Unit for (orientation, mask, line mod 12): bit k = module k (mod 12) of the line. Rows first
        // (line = y, bit = x), then columns (line = x, bit = y).
        private readonly ushort[] _units = new ushort[2 * 8 * Period];

        internal QrMasks()
        {
            for (int mask = 0; mask < 8; mask++)
            {
                for (int line = 0; line < Period; line++)
                {
                    int row = 0;
                    int column = 0;
                    for (int k = 0; k < Period; k++)
                    {
                        row |= IsDark(mask, k, line) ? 1 << k : 0;
                        column |= IsDark(mask, line, k) ? 1 << k : 0;
                    }

                    _units[RowUnits(mask) + line] = (ushort)row;
                    _units[ColumnUnits(mask) + line] = (ushort)column;
                }
            }
        }

        /// <summary>The units; line i of a mask in one orientation is at its base (RowUnits/ColumnUnits) + i mod 12.</summary>
        internal ushort[] Units
        {
            get { return _units; }
        }

        internal static int RowUnits(int mask)
        {
            return mask * Period;
        }

        internal static int ColumnUnits(int mask)
        {
            return (8 + mask) * Period;
        }

        /// <summary>
        /// A unit repeated over 48 bits. Word w of a line (modules 32w..32w+31) is bits phase..phase+31 with
        /// phase = 32w mod 12, which runs 0, 8, 4, 0, ...
        /// </summary>
        internal static ulong Repeat(ulong unit)
        {
            return unit | (unit << 12) | (unit << 24) | (unit << 36);
        }

        /// <summary>Table 10 as written (i = row y, j = column x): true where the mask inverts a data module.</summary>
        internal static bool IsDark(int mask, int x, int y)
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
