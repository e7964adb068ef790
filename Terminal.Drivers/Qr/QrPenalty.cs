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
    /// Terminal.Tests/Qr/QrPenaltyTests.cs checks this against a plain grid implementation.
    /// </summary>
    internal sealed class QrPenalty
    {
        private const int N1 = 3;
        private const int N2 = 3;
        private const int N3 = 40;
        private const int N4 = 10;

        // The last 7 completed runs of a line, most recent first.
        private readonly int[] _runs = new int[7];

        internal int Score(QrMatrix m)
        {
            int size = m.Size;
            byte[] bits = m.Bits;
            int score = 0;
            for (int line = 0; line < size; line++)
            {
                score += ScoreLine(bits, size, line * size, 1);  // row
                score += ScoreLine(bits, size, line, size);      // column
            }

            // N2 over each pair of rows, and the dark count for N4.
            int dark = 0;
            for (int y = 0; y < size; y++)
            {
                int top = y * size;
                int bottom = top + size;
                bool hasBottom = y + 1 < size;
                int previousTop = (bits[top >> 3] >> (top & 7)) & 1;
                int previousBottom = hasBottom ? (bits[bottom >> 3] >> (bottom & 7)) & 1 : 0;
                dark += previousTop;
                for (int x = 1; x < size; x++)
                {
                    top++;
                    int t = (bits[top >> 3] >> (top & 7)) & 1;
                    dark += t;
                    if (hasBottom)
                    {
                        bottom++;
                        int b = (bits[bottom >> 3] >> (bottom & 7)) & 1;
                        if (t == previousTop && b == previousBottom && t == b)
                        {
                            score += N2;
                        }

                        previousBottom = b;
                    }

                    previousTop = t;
                }
            }

            int total = size * size;
            int deviation = 20 * dark - 10 * total;
            if (deviation < 0)
            {
                deviation = -deviation;
            }

            int k = deviation / total;
            Debug.Assert(k >= 0 && k <= 10);
            score += N4 * k;
            return score;
        }

        /// <summary>N1 and N3 for one row (stride 1) or one column (stride size) starting at bit index start.</summary>
        private int ScoreLine(byte[] bits, int size, int start, int stride)
        {
            int[] runs = _runs;
            for (int i = 0; i < runs.Length; i++)
            {
                runs[i] = 0;
            }

            int score = 0;
            int colour = 0;            // the quiet zone before the line is light...
            int length = size;         // ...and wider than any 4n a finder-like pattern of the line can need
            int realLength = 0;        // the same run without the quiet zone, for N1
            int index = start;
            for (int i = 0; i <= size; i++)
            {
                int dark = 0;
                if (i < size)
                {
                    dark = (bits[index >> 3] >> (index & 7)) & 1;
                    index += stride;
                    if (dark == colour)
                    {
                        length++;
                        realLength++;
                        continue;
                    }
                }

                if (realLength >= 5)
                {
                    score += N1 + (realLength - 5);
                }

                if (i == size && colour == 0)
                {
                    length += size; // a light run reaching the edge continues into the quiet zone
                }

                Push(length);
                if (colour == 0)
                {
                    score += N3 * FinderLikeEndingHere();
                }
                else if (i == size)
                {
                    Push(size); // the quiet zone after a dark run at the edge
                    score += N3 * FinderLikeEndingHere();
                }

                colour = dark;
                length = 1;
                realLength = 1;
            }

            return score;
        }

        private void Push(int length)
        {
            int[] runs = _runs;
            for (int i = runs.Length - 1; i > 0; i--)
            {
                runs[i] = runs[i - 1];
            }

            runs[0] = length;
        }

        /// <summary>
        /// With the light run just completed in runs[0]: 0, 1 or 2 for a 1:1:3:1:1 core in runs[5..1] with
        /// a light run of at least 4n before (runs[6]) and/or after (runs[0]) it.
        /// </summary>
        private int FinderLikeEndingHere()
        {
            int[] r = _runs;
            int n = r[1];
            if (n == 0 || r[2] != n || r[3] != 3 * n || r[4] != n || r[5] != n)
            {
                return 0;
            }

            return (r[6] >= 4 * n ? 1 : 0) + (r[0] >= 4 * n ? 1 : 0);
        }
    }
}
