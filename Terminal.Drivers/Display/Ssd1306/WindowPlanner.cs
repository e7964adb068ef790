namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Chooses the SSD1306 address windows (21h column range x 22h page range) that carry all dirty bytes
    /// of a framebuffer for the fewest bytes on the wire. A window spans consecutive pages and the union
    /// of their dirty columns; merging neighbours saves the window commands but may resend clean bytes,
    /// so an exact dynamic programme over the 8 pages decides (at most 8 x 8 window costs; no allocation).
    /// </summary>
    internal sealed class WindowPlanner
    {
        private const int Pages = Framebuffer.Pages;

        private readonly int[] _best = new int[Pages + 1];
        private readonly int[] _from = new int[Pages + 1];

        public readonly int[] FirstPage = new int[Pages];
        public readonly int[] LastPage = new int[Pages];
        public readonly int[] FirstColumn = new int[Pages];
        public readonly int[] LastColumn = new int[Pages];

        /// <summary>Windows planned by the last <see cref="Plan"/>, in page order.</summary>
        public int Count { get; private set; }

        /// <param name="windowOverhead">Wire bytes to open a window (address, control, 6 command bytes).</param>
        /// <param name="chunkOverhead">Wire bytes per data write (address, control).</param>
        /// <param name="chunkSize">Data bytes per write.</param>
        public void Plan(Framebuffer fb, int windowOverhead, int chunkOverhead, int chunkSize)
        {
            _best[0] = 0;
            for (int end = 1; end <= Pages; end++)
            {
                int last = end - 1;
                if (!fb.IsPageDirty(last))
                {
                    _best[end] = _best[last];
                    _from[end] = -1; // page `last` is skipped
                    continue;
                }

                int best = int.MaxValue;
                int from = last;
                int first = Framebuffer.Width;
                int lastColumn = -1;
                for (int start = last; start >= 0; start--)
                {
                    if (fb.IsPageDirty(start))
                    {
                        first = Min(first, fb.DirtyFirstColumn(start));
                        lastColumn = Max(lastColumn, fb.DirtyLastColumn(start));
                        int bytes = (last - start + 1) * (lastColumn - first + 1);
                        int cost = _best[start] + windowOverhead + bytes + chunkOverhead * ((bytes + chunkSize - 1) / chunkSize);
                        if (cost < best)
                        {
                            best = cost;
                            from = start;
                        }
                    }
                }

                _best[end] = best;
                _from[end] = from;
            }

            // Walk back from the end, then store the windows in page order.
            int count = 0;
            int at = Pages;
            while (at > 0)
            {
                if (_from[at] < 0)
                {
                    at--;
                    continue;
                }

                count++;
                at = _from[at];
            }

            Count = count;
            at = Pages;
            while (at > 0)
            {
                if (_from[at] < 0)
                {
                    at--;
                    continue;
                }

                int index = --count;
                int start = _from[at];
                FirstPage[index] = start;
                LastPage[index] = at - 1;
                int firstColumn = Framebuffer.Width;
                int lastColumn = -1;
                for (int p = start; p < at; p++)
                {
                    if (fb.IsPageDirty(p))
                    {
                        firstColumn = Min(firstColumn, fb.DirtyFirstColumn(p));
                        lastColumn = Max(lastColumn, fb.DirtyLastColumn(p));
                    }
                }

                FirstColumn[index] = firstColumn;
                LastColumn[index] = lastColumn;
                at = start;
            }
        }

        private static int Min(int a, int b)
        {
            return a < b ? a : b;
        }

        private static int Max(int a, int b)
        {
            return a > b ? a : b;
        }
    }
}
