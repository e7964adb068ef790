namespace Terminal.Updates.Download
{
    /// <summary>
    /// Reads a Content-Range value of a 206 answer (RFC 9110 14.4): <c>bytes first-last/complete</c>, numbers of at
    /// most 9 digits (a bundle file is at most 256 KB). An unknown complete length (<c>*</c>) is refused: the source
    /// needs it to know where a file ends. One instance per source, reused.
    /// </summary>
    internal sealed class ContentRange
    {
        public int First { get; private set; }

        public int Last { get; private set; }

        public int Complete { get; private set; }

        /// <summary>False (and the numbers unchanged) when the value is not <c>bytes first-last/complete</c>.</summary>
        public bool Parse(byte[] value, int length)
        {
            const string Unit = "bytes ";
            if (length <= Unit.Length)
            {
                return false;
            }

            for (int i = 0; i < Unit.Length; i++)
            {
                if (value[i] != Unit[i])
                {
                    return false;
                }
            }

            int p = Unit.Length;
            int first = Number(value, length, ref p);
            if (first < 0 || p >= length || value[p++] != '-')
            {
                return false;
            }

            int last = Number(value, length, ref p);
            if (last < first || p >= length || value[p++] != '/')
            {
                return false;
            }

            int complete = Number(value, length, ref p);
            if (complete < 0 || p != length)
            {
                return false;
            }

            First = first;
            Last = last;
            Complete = complete;
            return true;
        }

        /// <summary>A run of 1 to 9 digits from p, or -1.</summary>
        private static int Number(byte[] value, int length, ref int p)
        {
            int start = p;
            int n = 0;
            while (p < length && value[p] >= '0' && value[p] <= '9' && p - start < 9)
            {
                n = (n * 10) + (value[p] - '0');
                p++;
            }

            return p == start || (p < length && value[p] >= '0' && value[p] <= '9') ? -1 : n;
        }
    }
}
