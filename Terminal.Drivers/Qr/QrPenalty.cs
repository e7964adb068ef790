using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Mask evaluation (ISO/IEC 18004:2015 section 7.8.3, Table 11). The lowest score wins.
    /// <list type="bullet">
    /// <item>N1 = 3: each run of k >= 5 same-colour modules in a row or column scores 3 + (k - 5).</item>
    /// <item>N2 = 3: each 2x2 block of one colour (overlapping blocks count separately).</item>
    /// <item>N3 = 40: each dark:light:dark:light:dark run sequence in the ratio 1:1:3:1:1 (module width n >= 1)
    ///   with a light run of at least 4n before it, and again for one after it. Outside the symbol counts as
    ///   light (the quiet zone), so a finder-like pattern at the edge is penalised as a reader would see it.</item>
    /// <item>N4 = 10 per full 5% that the dark share deviates from 50%: k = |20*dark - 10*total| / total.</item>
    /// </list>
    /// Readers and encoders differ in N3 (some test only n = 1 inside the symbol) and at N4's boundaries;
    /// any mask gives a valid symbol, the score only prefers the easiest to read.
    /// <para>
    /// How: the symbol is scored as it would be with a mask, without drawing it. Rows come from the matrix's
    /// row planes and columns from its transposed planes, each word masked on the fly
    /// (dark ^ (pattern AND NOT function)), and every rule is evaluated for a whole line of up to 64 modules,
    /// or 50 modules of a longer one, at once, with shifts and ANDs over a 64-module window of the line.
    /// Finder-like patterns with n >= 2 need a dark run of at least 6 between light runs of at least 2; those
    /// rare places are checked module by module. Nothing is allocated per call.
    /// </para>
    /// Terminal.Tests/Qr/QrPenaltyTests.cs checks this against a plain string-matching implementation.
    /// </summary>
    internal sealed class QrPenalty
    {
        private const int N1 = 3;
        private const int N2 = 3;
        private const int N3 = 40;
        private const int N4 = 10;

        // A line is read in 64-module windows. Every rule is counted at the window's centre positions and
        // looks at most 4 modules back and 10 ahead, so each position of the line is counted in exactly one
        // window. Shifting a window brings in zeros, light modules: as the quiet zone is.
        // Window k starts at module 50k (bit j is module 50k + j). A line of up to 64 modules (versions
        // 1-11) is one window whose centre is the whole line. Longer lines: the centre of window 0 is modules
        // 0..53, that of window k >= 1 modules 50k + 4 .. 50k + 53 (4 modules of context before it), the
        // last one ending with the line; every centre has 10 modules of context after it, or the quiet zone.
        private const int WindowStep = 50;
        private const int ContextBefore = 4;
        private const int MaxWindows = 4; // (177 - 54) / 50 rounded up, + 1

        // Per window: the centre, and the positions whose module has a successor in the line (N1, N2).
        private readonly ulong[] _centre = new ulong[MaxWindows];
        private readonly ulong[] _pairs = new ulong[MaxWindows];

        // The masked words of the line being scored, then two zero words: a window reads up to two words
        // past its first.
        private readonly uint[] _line = new uint[((QrTables.Size(QrTables.MaxVersion) + 31) >> 5) + 2];

        // Windows of the previous row, for N2.
        private readonly ulong[] _above = new ulong[MaxWindows];
        private int _darkModules;

        /// <summary>
        /// The score of the symbol in <paramref name="m"/> as it would be with data mask 0-7 applied to every
        /// module that is not a function module (the format bits must already be those of that mask).
        /// </summary>
        internal int Score(QrMatrix m, int mask)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            int size = m.Size;
            int windows = PlanWindows(size);
            ushort[] units = m.Masks.Units;
            int score = ScoreLines(m.Bits, m.Function, units, QrMasks.RowUnits(mask), size, m.Stride, windows, true);
            score += ScoreLines(m.BitsByColumn, m.FunctionByColumn, units, QrMasks.ColumnUnits(mask), size, m.Stride, windows, false);

            int total = size * size;
            int deviation = 20 * _darkModules - 10 * total;
            if (deviation < 0)
            {
                deviation = -deviation;
            }

            int k = deviation / total;
            Debug.Assert(k >= 0 && k <= 10);
            return score + N4 * k;
        }

        /// <summary>The windows of a line of <paramref name="size"/> modules (see the constants above).</summary>
        private int PlanWindows(int size)
        {
            // Enough windows that 54 + 50(windows - 1) >= size.
            int windows = size <= 64 ? 1 : 1 + (size - ContextBefore - 1) / WindowStep;
            Debug.Assert(windows <= MaxWindows);
            for (int k = 0; k < windows; k++)
            {
                int start = WindowStep * k;
                int from = k == 0 ? 0 : ContextBefore;
                int to = k == windows - 1 ? size - start : ContextBefore + WindowStep; // past the centre

                int pairsTo = size - 1 - start; // past the last module with a successor
                _centre[k] = Bits(from, to);
                _pairs[k] = Bits(0, pairsTo < 64 ? pairsTo : 64);
            }

            return windows;
        }

        /// <summary>Bits from..to-1 set, 0 <= from <= to <= 64.</summary>
        private static ulong Bits(int from, int to)
        {
            ulong below = to == 64 ? ulong.MaxValue : (1UL << to) - 1UL;
            return below & ~((1UL << from) - 1UL);
        }

        /// <summary>
        /// N1 and N3 of every line of a plane (rows of the row planes, or columns of the transposed ones);
        /// for rows also N2, and the dark module count for N4.
        /// </summary>
        private int ScoreLines(uint[] dark, uint[] function, ushort[] units, int unitBase, int size, int stride, int windows, bool rows)
        {
            int score = 0;
            int finders = 0;
            int darkModules = 0;
            uint[] masked = _line;
            masked[stride] = 0;
            masked[stride + 1] = 0;
            bool single = windows == 1; // the line in one window: its words in locals
            ulong lineCentre = _centre[0];
            ulong linePairs = _pairs[0];
            int lineOfPeriod = 0;
            for (int line = 0; line < size; line++)
            {
                int i = line * stride;
                int unit = units[unitBase + lineOfPeriod];
                ulong pattern = QrMasks.Repeat((ulong)unit);
                lineOfPeriod = lineOfPeriod == QrMasks.Period - 1 ? 0 : lineOfPeriod + 1;
                uint first = dark[i] ^ ((uint)pattern & ~function[i]);
                uint second = 0;
                if (single)
                {
                    if (stride > 1)
                    {
                        second = dark[i + 1] ^ ((uint)(pattern >> 8) & ~function[i + 1]); // phase 32 mod 12
                    }
                }
                else
                {
                    masked[0] = first;
                    int phase = 0;
                    for (int w = 1; w < stride; w++)
                    {
                        phase = phase == 8 ? 4 : phase == 4 ? 0 : 8; // 32w mod 12: 0, 8, 4, 0, ...
                        masked[w] = dark[i + w] ^ ((uint)(pattern >> phase) & ~function[i + w]);
                    }
                }

                for (int k = 0; k < windows; k++)
                {
                    int start = WindowStep * k;
                    ulong window;
                    ulong centre;
                    ulong pairs;
                    if (single)
                    {
                        window = first | ((ulong)second << 32);
                        centre = lineCentre;
                        pairs = linePairs;
                    }
                    else
                    {
                        // Modules 50k .. 50k+63 from the masked words (zero past the line).
                        int word = start >> 5;
                        int shift = start & 31;
                        window = ((ulong)masked[word] | ((ulong)masked[word + 1] << 32)) >> shift;
                        if (shift != 0)
                        {
                            window |= (ulong)masked[word + 2] << (64 - shift);
                        }

                        centre = _centre[k];
                        pairs = _pairs[k];
                    }

                    // N1: bit j of `same` = modules j and j+1 in the line and of one colour; `five` = j..j+4.
                    ulong same = ~(window ^ (window >> 1)) & pairs;
                    ulong five = same & (same >> 1);
                    five &= five >> 2;
                    ulong runs = five & centre;
                    if (runs != 0)
                    {
                        // A run of k >= 5 has k - 4 bits in `five`, the first with no bit before it:
                        // 3 + (k - 5) = (k - 4) + (N1 - 1).
                        score += Count(runs) + (N1 - 1) * Count(runs & ~(five << 1));
                    }

                    if (rows)
                    {
                        if (line > 0)
                        {
                            ulong above = _above[k];
                            score += N2 * Count(same & ~(above ^ (above >> 1)) & ~(above ^ window) & centre);
                        }

                        _above[k] = window;
                        darkModules += Count(window & centre);
                    }

                    // N3. Light terms are complements of shifted windows: what a shift brings in reads as
                    // light. A term looking back shifts left (the window, or a term that looks back itself),
                    // one looking ahead shifts right. n = 1: light, dark, light, dark x3, light, dark, light
                    // from j-1 to j+7 ...
                    ulong dark3 = window & (window >> 1) & (window >> 2); // dark in j..j+2
                    ulong core = window & (dark3 >> 2) & (window >> 6)
                        & ~((window << 1) | (window >> 1) | (window >> 5) | (window >> 7)) & centre;
                    ulong darkAhead2 = window | (window >> 1);         // some dark in j..j+1
                    ulong darkBefore2 = (window << 1) | (window << 2); // some dark in j-2..j-1
                    if (core != 0)
                    {
                        // ... with 4 light before it (j-4..j-1) and/or after it (j+7..j+10).
                        ulong darkBefore4 = darkBefore2 | (darkBefore2 << 2);
                        ulong darkAhead4 = darkAhead2 | (darkAhead2 >> 2);
                        finders += Count(core & ~darkBefore4) + Count(core & ~(darkAhead4 >> 7));
                    }

                    // n >= 2: the centre run (3n >= 6 dark from j) after >= 2 light, followed by 2 light
                    // (n = 2) or by more dark (n >= 3).
                    ulong wide = ~darkBefore2 & dark3 & (dark3 >> 3) & (~(darkAhead2 >> 6) | (dark3 >> 6)) & centre;
                    if (wide != 0)
                    {
                        finders += WideFinders(dark, function, i, unit, size, window, wide, start);
                    }
                }
            }

            if (rows)
            {
                _darkModules = darkModules;
            }

            return score + N3 * finders;
        }

        /// <summary>
        /// Finder-like patterns with n >= 2 whose centre run starts at a candidate (bit j of
        /// <paramref name="candidates"/> is module <paramref name="firstModule"/> + j of the line, as in
        /// <paramref name="window"/>). The centre run's length comes from the window (2 in 3 candidates end
        /// there, its length not a multiple of 3); the rest is read module by module.
        /// </summary>
        private static int WideFinders(uint[] dark, uint[] function, int lineStart, int unit, int size, ulong window, ulong candidates, int firstModule)
        {
            int found = 0;
            while (candidates != 0)
            {
                ulong lowest = candidates & (0UL - candidates);
                candidates ^= lowest;
                int j = LowestBit(lowest);
                int c = firstModule + j;
                ulong lightFromCentre = ~window >> j;
                int length;
                if (lightFromCentre != 0)
                {
                    length = LowestBit(lightFromCentre);
                }
                else
                {
                    length = 64 - j; // dark to the window's end: the line goes on
                    while (c + length < size && IsDark(dark, function, lineStart, unit, size, c + length))
                    {
                        length++;
                    }
                }

                int n = length / 3;
                int end = c + length;
                if (length % 3 != 0
                    || !IsRun(dark, function, lineStart, unit, size, c - n, n, false)
                    || !IsRun(dark, function, lineStart, unit, size, c - 2 * n, n, true)
                    || IsDark(dark, function, lineStart, unit, size, c - 2 * n - 1)
                    || !IsRun(dark, function, lineStart, unit, size, end, n, false)
                    || !IsRun(dark, function, lineStart, unit, size, end + n, n, true)
                    || IsDark(dark, function, lineStart, unit, size, end + 2 * n))
                {
                    continue;
                }

                found += IsRun(dark, function, lineStart, unit, size, c - 6 * n, 4 * n, false) ? 1 : 0;
                found += IsRun(dark, function, lineStart, unit, size, end + 2 * n, 4 * n, false) ? 1 : 0;
            }

            return found;
        }

        /// <summary>Index of the lowest set bit of a non-zero value, by halving.</summary>
        private static int LowestBit(ulong v)
        {
            int index = 0;
            for (int half = 32; half > 0; half >>= 1)
            {
                ulong low = (1UL << half) - 1UL;
                if ((v & low) == 0)
                {
                    v >>= half;
                    index += half;
                }
            }

            return index;
        }

        private static bool IsRun(uint[] dark, uint[] function, int lineStart, int unit, int size, int start, int length, bool colour)
        {
            for (int m = start; m < start + length; m++)
            {
                if (IsDark(dark, function, lineStart, unit, size, m) != colour)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Module m of a line with the mask applied; outside the line it is light.</summary>
        private static bool IsDark(uint[] dark, uint[] function, int lineStart, int unit, int size, int m)
        {
            if (m < 0 || m >= size)
            {
                return false;
            }

            int word = lineStart + (m >> 5);
            int bit = m & 31;
            bool isDark = ((dark[word] >> bit) & 1u) != 0;
            bool inverted = ((function[word] >> bit) & 1u) == 0 && ((unit >> (m % QrMasks.Period)) & 1) != 0;
            return isDark != inverted;
        }

        private static int Count(ulong v)
        {
            v -= (v >> 1) & 0x5555555555555555UL;
            v = (v & 0x3333333333333333UL) + ((v >> 2) & 0x3333333333333333UL);
            v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
            return (int)((v * 0x0101010101010101UL) >> 56);
        }
    }
}
