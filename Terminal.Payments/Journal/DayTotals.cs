namespace Terminal.Payments.Journal
{
    /// <summary>
    /// The counters of one accounting period (from one end of day to the next): what was sold, refunded and voided,
    /// in the terminal's currency, and how many transactions ended needing review. Kept in the journal's snapshot, so
    /// each counter moves in the same atomic commit as the transaction's final state (exactly once, power-cut safe).
    /// </summary>
    public sealed class DayTotals
    {
        /// <summary>Encoded length (RecordCodec).</summary>
        internal const int Length = (6 * 8) + (4 * 4);

        /// <summary>Counts periods: 1 for the first, one more at each end of day.</summary>
        public long Period;

        /// <summary>Wall time the period began (0: not known, a journal from before the counters).</summary>
        public long OpenedEpochMs;

        /// <summary>Wall time the period was closed (0 while open).</summary>
        public long ClosedEpochMs;

        public int SaleCount;
        public long SaleMinor;
        public int RefundCount;
        public long RefundMinor;
        public int VoidCount;
        public long VoidMinor;

        /// <summary>Transactions that ended needing review (their money is in no other counter).</summary>
        public int ReviewCount;

        /// <summary>Sales less refunds and voids.</summary>
        public long NetMinor
        {
            get { return SaleMinor - RefundMinor - VoidMinor; }
        }

        /// <summary>True when nothing was counted.</summary>
        public bool IsEmpty
        {
            get { return SaleCount == 0 && RefundCount == 0 && VoidCount == 0 && ReviewCount == 0; }
        }

        /// <summary>Starts period <paramref name="period"/> at <paramref name="openedEpochMs"/> with every counter at zero.</summary>
        public void Open(long period, long openedEpochMs)
        {
            Period = period;
            OpenedEpochMs = openedEpochMs;
            ClosedEpochMs = 0;
            SaleCount = 0;
            SaleMinor = 0;
            RefundCount = 0;
            RefundMinor = 0;
            VoidCount = 0;
            VoidMinor = 0;
            ReviewCount = 0;
        }

        public void CopyFrom(DayTotals other)
        {
            Period = other.Period;
            OpenedEpochMs = other.OpenedEpochMs;
            ClosedEpochMs = other.ClosedEpochMs;
            SaleCount = other.SaleCount;
            SaleMinor = other.SaleMinor;
            RefundCount = other.RefundCount;
            RefundMinor = other.RefundMinor;
            VoidCount = other.VoidCount;
            VoidMinor = other.VoidMinor;
            ReviewCount = other.ReviewCount;
        }
    }
}
