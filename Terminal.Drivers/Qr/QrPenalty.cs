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

        // Index of the lowest set bit from (b & -b) * 0x077CB531 >> 27 (de Bruijn sequence B(2,5)).
        private static readonly byte[] LowestBit =
        {
            0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
            31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
        };

        // The last 7 completed runs of the current line, most recent first.
        private readonly int[] _runs = new int[7];
        private int _lineScore;
        private bool _leading; // no dark run yet in this line

        internal int Score(QrMatrix m)
        {
            return Score(m.Bits, m.Size, m.Stride);
        }

        /// <summary>Scores a plane laid out as QrMatrix's (rows of stride words, padding bits 0).</summary>
        internal int Score(uint[] plane, int size, int stride)
        {
            int score = 0;
            for (int y = 0; y < size; y++)
            {
                score += ScoreRow(plane, size, y * stride);
            }

            for (int x = 0; x < size; x++)
            {
                score += ScoreColumn(plane, size, stride, x);
            }

            // N2 on each pair of rows: bit x of `same` is set when modules x and x+1 of both rows agree.
            int tail = (size - 1) & 31;
            uint lastValid = tail == 0 ? 0xFFFFFFFFu : (1u << tail) - 1u; // columns 0..size-2 of the last word
            int lastWord = (size - 2) >> 5;
            int dark = 0;
            for (int y = 0; y < size; y++)
            {
                int top = y * stride;
                for (int w = 0; w < stride; w++)
                {
                    dark += PopCount(plane[top + w]);
                }

                if (y + 1 == size)
                {
                    break;
                }

                int bottom = top + stride;
                for (int w = 0; w <= lastWord; w++)
                {
                    uint a = plane[top + w];
                    uint b = plane[bottom + w];
                    uint aNext = (a >> 1) | (w + 1 < stride ? plane[top + w + 1] << 31 : 0u);
                    uint bNext = (b >> 1) | (w + 1 < stride ? plane[bottom + w + 1] << 31 : 0u);
                    uint same = ~(a ^ b) & ~(a ^ aNext) & ~(b ^ bNext);
                    if (w == lastWord)
                    {
                        same &= lastValid;
                    }

                    score += N2 * PopCount(same);
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
            return score + N4 * k;
        }

        /// <summary>N1 and N3 of one row, finding each run's end 32 modules at a time.</summary>
        private int ScoreRow(uint[] plane, int size, int start)
        {
            BeginLine(size);
            int x = 0;
            uint colour = 0;
            while (x < size)
            {
                // Next column whose module differs from the current colour (or the row end).
                int end = size;
                for (int w = x >> 5; (w << 5) < size; w++)
                {
                    uint differs = plane[start + w] ^ colour;
                    if (w == x >> 5)
                    {
                        differs &= 0xFFFFFFFFu << (x & 31);
                    }

                    if (differs != 0)
                    {
                        int at = (w << 5) + LowestBit[((differs & (0u - differs)) * 0x077CB531u) >> 27];
                        end = at < size ? at : size; // padding bits are 0, so a dark run may "end" past the row
                        break;
                    }
                }

                AddRun(colour != 0, end - x);
                x = end;
                colour = ~colour;
            }

            return EndLine(colour != 0, size);
        }

        /// <summary>N1 and N3 of one column, module by module.</summary>
        private int ScoreColumn(uint[] plane, int size, int stride, int x)
        {
            BeginLine(size);
            int index = x >> 5;
            int shift = x & 31;
            uint colour = 0;
            int length = 0;
            for (int y = 0; y < size; y++)
            {
                uint dark = (plane[index] >> shift) & 1u;
                index += stride;
                if (dark == colour)
                {
                    length++;
                    continue;
                }

                AddRun(colour != 0, length);
                colour = dark;
                length = 1;
            }

            AddRun(colour != 0, length);
            return EndLine(colour == 0, size);
        }

        // A line is fed as runs of alternating colour, starting light (that first light run may be empty).
        // The quiet zone counts as light on both sides: it is merged into the first light run and into the
        // last one (or added as a light run after a dark end). Each light run is checked for N3 once, when
        // it is complete: when the next dark run starts, or at the end of the line.
        private void BeginLine(int size)
        {
            int[] runs = _runs;
            for (int i = 0; i < runs.Length; i++)
            {
                runs[i] = 0;
            }

            runs[0] = size;
            _leading = true;
            _lineScore = 0;
        }

        private void AddRun(bool dark, int length)
        {
            if (length >= 5)
            {
                _lineScore += N1 + (length - 5);
            }

            if (!dark)
            {
                if (_leading)
                {
                    _runs[0] += length; // still the quiet zone's light run
                }
                else
                {
                    Push(length);
                }

                return;
            }

            if (!_leading)
            {
                _lineScore += N3 * FinderLikeEndingHere(); // the light run in runs[0] is complete
            }

            _leading = false;
            Push(length);
        }

        /// <summary>Closes the line with the trailing quiet zone and returns its N1 + N3 score.</summary>
        private int EndLine(bool lastWasLight, int size)
        {
            if (!_leading)
            {
                if (lastWasLight)
                {
                    _runs[0] += size;
                }
                else
                {
                    Push(size);
                }

                _lineScore += N3 * FinderLikeEndingHere();
            }

            return _lineScore;
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

        private static int PopCount(uint v)
        {
            v = v - ((v >> 1) & 0x55555555u);
            v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
            return (int)((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
        }
    }
}
