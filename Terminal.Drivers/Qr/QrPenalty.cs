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
    /// or 32 modules of a longer one, at once, with shifts and ANDs over a 64-module window of the line.
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

        // A line is read in 64-module windows; every rule is counted at the window's centre positions and
        // looks at most 4 modules back and 10 ahead, so each position of the line is counted in exactly one
        // window. Shifting a window brings in zeros, light modules: as the quiet zone is.
        // Lines of up to 64 modules (versions 1-11) are one window: bit j is module j, the centre is the
        // whole line, and what is shifted in is the quiet zone. Longer lines take one window per word w: bit
        // j is module 32w + j - 16, the centre is the word's own 32 modules (bits 16..47), with 16 modules of
        // context on each side, so nothing shifted in reaches a centre position's rules.
        private const int WholeLineMaxSize = 64;
        private const int WordMargin = 16;
        private const ulong WordCentre = 0x0000FFFFFFFF0000UL;
        private const ulong BeforeLine = 0x000000000000FFFFUL; // the context before word 0

        // Windows of the previous row, for N2.
        private readonly ulong[] _above = new ulong[(QrTables.Size(QrTables.MaxVersion) + 31) >> 5];
        private int _darkModules;

        /// <summary>
        /// The score of the symbol in <paramref name="m"/> as it would be with data mask 0-7 applied to every
        /// module that is not a function module (the format bits must already be those of that mask).
        /// </summary>
        internal int Score(QrMatrix m, int mask)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            int size = m.Size;
            ushort[] units = m.Masks.Units;
            int score = ScoreLines(m.Bits, m.Function, units, QrMasks.RowUnits(mask), size, m.Stride, true);
            score += ScoreLines(m.BitsByColumn, m.FunctionByColumn, units, QrMasks.ColumnUnits(mask), size, m.Stride, false);

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

        /// <summary>
        /// N1 and N3 of every line of a plane (rows of the row planes, or columns of the transposed ones);
        /// for rows also N2, and the dark module count for N4.
        /// </summary>
        private int ScoreLines(uint[] dark, uint[] function, ushort[] units, int unitBase, int size, int stride, bool rows)
        {
            int score = 0;
            int finders = 0;
            int darkModules = 0;
            bool wholeLine = size <= WholeLineMaxSize;
            int windows = wholeLine ? 1 : stride;
            ulong lineCentre = wholeLine ? (1UL << size) - 1UL : 0; // sizes are odd: size < 64
            ulong linePairs = wholeLine ? (1UL << (size - 1)) - 1UL : 0; // modules 0..size-2
            int lineOfPeriod = 0;
            for (int line = 0; line < size; line++)
            {
                int i = line * stride;
                int unit = units[unitBase + lineOfPeriod];
                ulong pattern = QrMasks.Repeat((ulong)unit);
                lineOfPeriod = lineOfPeriod == QrMasks.Period - 1 ? 0 : lineOfPeriod + 1;
                uint before = 0;
                uint current = dark[i] ^ ((uint)pattern & ~function[i]);
                int phase = 0;
                for (int w = 0; w < windows; w++)
                {
                    phase = phase == 8 ? 4 : phase == 4 ? 0 : 8; // of word w + 1: 32(w + 1) mod 12
                    uint after = w + 1 < stride ? dark[i + w + 1] ^ ((uint)(pattern >> phase) & ~function[i + w + 1]) : 0u;
                    ulong window;
                    ulong centre;
                    ulong same; // bit j: modules j and j+1 are in the line and of one colour
                    int firstModule;
                    if (wholeLine)
                    {
                        window = (ulong)current | ((ulong)after << 32);
                        centre = lineCentre;
                        same = ~(window ^ (window >> 1)) & linePairs;
                        firstModule = 0;
                    }
                    else
                    {
                        window = (ulong)(before >> WordMargin) | ((ulong)current << WordMargin) | ((ulong)after << (32 + WordMargin));
                        centre = WordCentre;
                        same = ~(window ^ (window >> 1));
                        int lastPair = size - 2 + WordMargin - 32 * w; // window bit of module size-2
                        if (lastPair < 63)
                        {
                            same &= (2UL << lastPair) - 1UL;
                        }

                        if (w == 0)
                        {
                            same &= ~BeforeLine;
                        }

                        firstModule = 32 * w - WordMargin;
                        before = current;
                        current = after;
                    }

                    // N1: `five` = modules j..j+4 in the line and of one colour.
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
                            ulong above = _above[w];
                            score += N2 * Count(same & ~(above ^ (above >> 1)) & ~(above ^ window) & centre);
                        }

                        _above[w] = window;
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
                        finders += WideFinders(dark, function, i, unit, size, window, wide, firstModule);
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
