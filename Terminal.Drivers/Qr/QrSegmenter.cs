using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Optimal segmentation of a payload into numeric, alphanumeric and byte segments (ISO/IEC 18004:2015
    /// section 7.4 and Annex J), by dynamic programming over the exact bit cost.
    /// <para>
    /// The state after each input byte is the mode of the segment it ends plus the segment's length modulo
    /// the mode's group size, because the cost of the next character depends on it: numeric packs 3 digits
    /// in 10 bits (a trailing 1 or 2 digits take 4 or 7), alphanumeric 2 characters in 11 bits (a trailing one
    /// takes 6), byte 8 bits each. Opening a segment costs 4 mode bits plus the count indicator of the
    /// version group. Six states, so the minimum over all segmentations is exact, not a heuristic.
    /// </para>
    /// <para>
    /// Measuring keeps six running costs and needs no memory. Building the segments keeps one trace byte
    /// per input byte in a buffer allocated once; the trace is turned in place into a mode per byte.
    /// </para>
    /// </summary>
    internal sealed class QrSegmenter
    {
        // States. Byte has one; alphanumeric is "odd count" or "even count"; numeric is count mod 3 = 1, 2, 0.
        private const int Byte = 0;
        private const int AlnumOdd = 1;
        private const int AlnumEven = 2;
        private const int Num1 = 3;
        private const int Num2 = 4;
        private const int Num0 = 5;
        private const int StateCount = 6;
        private const int NoState = 7;

        // Trace byte: bits 0-2 = best state before this byte (NoState at the start); bits 3-5 = "this byte
        // opens a new segment" for the three states a segment can start in (Byte, AlnumOdd, Num1).
        private const int NewByte = 1 << 3;
        private const int NewAlnum = 1 << 4;
        private const int NewNum = 1 << 5;

        // After BuildModes, each trace byte holds the byte's mode indicator, plus SegmentStart on the first.
        internal const int SegmentStart = 0x80;

        private const int Infinity = int.MaxValue / 2;

        private readonly byte[] _trace;
        private readonly int[] _cost = new int[StateCount];
        private readonly int[] _next = new int[StateCount];

        /// <param name="capacity">Largest payload length that BuildModes must handle.</param>
        internal QrSegmenter(int capacity)
        {
            _trace = new byte[capacity];
        }

        internal int Capacity
        {
            get { return _trace.Length; }
        }

        /// <summary>The trace buffer; after <see cref="BuildModes"/> it holds one mode byte per payload byte.</summary>
        internal byte[] Modes
        {
            get { return _trace; }
        }

        /// <summary>Bits of the optimal segmentation (headers included, no terminator) in a version group.</summary>
        internal int Measure(byte[] data, int offset, int count, int group)
        {
            return Run(data, offset, count, group, false);
        }

        /// <summary>
        /// Finds the optimal segmentation and writes Modes[i] = mode indicator of byte i, with SegmentStart
        /// set on the first byte of each segment. Returns its bit length. count must be at most Capacity.
        /// </summary>
        internal int BuildModes(byte[] data, int offset, int count, int group)
        {
            Debug.Assert(count <= _trace.Length);
            int bits = Run(data, offset, count, group, true);
            if (count == 0)
            {
                return bits;
            }

            int state = ArgMin(_cost);
            for (int i = count - 1; i >= 0; i--)
            {
                int trace = _trace[i];
                bool opens;
                int previous;
                switch (state)
                {
                    case Byte: opens = (trace & NewByte) != 0; previous = Byte; break;
                    case AlnumOdd: opens = (trace & NewAlnum) != 0; previous = AlnumEven; break;
                    case AlnumEven: opens = false; previous = AlnumOdd; break;
                    case Num1: opens = (trace & NewNum) != 0; previous = Num0; break;
                    case Num2: opens = false; previous = Num1; break;
                    default: opens = false; previous = Num2; break;
                }

                if (opens)
                {
                    previous = trace & 7;
                }

                Debug.Assert(i == 0 ? opens || count == 0 : previous != NoState);
                _trace[i] = (byte)(ModeOf(state) | (opens ? SegmentStart : 0));
                state = previous;
            }

            return bits;
        }

        /// <summary>
        /// Bits of the whole payload as ONE segment in the narrowest mode that holds every byte (numeric,
        /// else alphanumeric, else byte), as simpler encoders do. For comparisons in tests and benchmarks.
        /// </summary>
        internal int MeasureSingle(byte[] data, int offset, int count, int group)
        {
            if (count == 0)
            {
                return 0;
            }

            int mode = SingleMode(data, offset, count);
            int bits = 4 + QrTables.CountBits(mode, group);
            if (mode == QrTables.ModeNumeric)
            {
                return bits + 10 * (count / 3) + (count % 3 == 0 ? 0 : count % 3 == 1 ? 4 : 7);
            }

            if (mode == QrTables.ModeAlphanumeric)
            {
                return bits + 11 * (count / 2) + 6 * (count % 2);
            }

            return bits + 8 * count;
        }

        /// <summary>As <see cref="BuildModes"/>, but for the single segment of <see cref="MeasureSingle"/>.</summary>
        internal int BuildSingle(byte[] data, int offset, int count, int group)
        {
            Debug.Assert(count <= _trace.Length);
            int mode = count == 0 ? QrTables.ModeByte : SingleMode(data, offset, count);
            for (int i = 0; i < count; i++)
            {
                _trace[i] = (byte)(mode | (i == 0 ? SegmentStart : 0));
            }

            return MeasureSingle(data, offset, count, group);
        }

        private static int SingleMode(byte[] data, int offset, int count)
        {
            bool numeric = true;
            bool alphanumeric = true;
            for (int i = 0; i < count; i++)
            {
                int c = data[offset + i];
                numeric = numeric && c >= '0' && c <= '9';
                alphanumeric = alphanumeric && AlphanumericValue(c) >= 0;
            }

            return numeric ? QrTables.ModeNumeric : alphanumeric ? QrTables.ModeAlphanumeric : QrTables.ModeByte;
        }

        private int Run(byte[] data, int offset, int count, int group, bool trace)
        {
            int byteHeader = 4 + QrTables.CountBits(QrTables.ModeByte, group);
            int alnumHeader = 4 + QrTables.CountBits(QrTables.ModeAlphanumeric, group);
            int numHeader = 4 + QrTables.CountBits(QrTables.ModeNumeric, group);
            int[] cost = _cost;
            int[] next = _next;
            for (int s = 0; s < StateCount; s++)
            {
                cost[s] = Infinity;
            }

            for (int i = 0; i < count; i++)
            {
                int c = data[offset + i];
                int best;
                int bestState;
                if (i == 0)
                {
                    best = 0;
                    bestState = NoState;
                }
                else
                {
                    bestState = ArgMin(cost);
                    best = cost[bestState];
                }

                int flags = 0;

                // Continuing the current segment wins ties: fewer segments, same bits.
                int open = best + byteHeader + 8;
                next[Byte] = cost[Byte] + 8;
                if (open < next[Byte])
                {
                    next[Byte] = open;
                    flags |= NewByte;
                }

                if (AlphanumericValue(c) >= 0)
                {
                    open = best + alnumHeader + 6;
                    next[AlnumOdd] = cost[AlnumEven] + 6;
                    if (open < next[AlnumOdd])
                    {
                        next[AlnumOdd] = open;
                        flags |= NewAlnum;
                    }

                    next[AlnumEven] = cost[AlnumOdd] + 5;
                }
                else
                {
                    next[AlnumOdd] = Infinity;
                    next[AlnumEven] = Infinity;
                }

                if (c >= '0' && c <= '9')
                {
                    open = best + numHeader + 4;
                    next[Num1] = cost[Num0] + 4;
                    if (open < next[Num1])
                    {
                        next[Num1] = open;
                        flags |= NewNum;
                    }

                    next[Num2] = cost[Num1] + 3;
                    next[Num0] = cost[Num2] + 3;
                }
                else
                {
                    next[Num1] = Infinity;
                    next[Num2] = Infinity;
                    next[Num0] = Infinity;
                }

                for (int s = 0; s < StateCount; s++)
                {
                    int v = next[s];
                    cost[s] = v > Infinity ? Infinity : v;
                }

                if (trace)
                {
                    _trace[i] = (byte)(bestState | flags);
                }
            }

            return count == 0 ? 0 : cost[ArgMin(cost)];
        }

        private static int ArgMin(int[] cost)
        {
            int best = 0;
            for (int s = 1; s < StateCount; s++)
            {
                if (cost[s] < cost[best])
                {
                    best = s;
                }
            }

            return best;
        }

        private static int ModeOf(int state)
        {
            return state == Byte ? QrTables.ModeByte : state <= AlnumEven ? QrTables.ModeAlphanumeric : QrTables.ModeNumeric;
        }

        /// <summary>Value 0-44 in the alphanumeric set (Table 5), or -1.</summary>
        internal static int AlphanumericValue(int c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A' + 10;
            }

            switch (c)
            {
                case ' ': return 36;
                case '$': return 37;
                case '%': return 38;
                case '*': return 39;
                case '+': return 40;
                case '-': return 41;
                case '.': return 42;
                case '/': return 43;
                case ':': return 44;
                default: return -1;
            }
        }
    }
}
