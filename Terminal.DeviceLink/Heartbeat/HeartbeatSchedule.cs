using System.Threading;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// When the next heartbeat is due, on the monotonic clock: at once after start (the first beat once boot recovery
    /// is done), then every interval after a beat the gateway answered, one second after each transaction, and after
    /// a beat that failed in 5, 10, 20, ... seconds, never more often and never later than the interval, so a
    /// terminal that cannot reach the gateway never retries in a tight loop (docs/fleet-link.md).
    /// </summary>
    public sealed class HeartbeatSchedule
    {
        /// <summary>The first wait after a failed beat; it doubles with each further failure.</summary>
        public const int FirstRetryMs = 5000;

        /// <summary>
        /// A beat after a transaction waits this long, so that a register that answers RESULT with the next sale
        /// gets it started first (the beat would otherwise hold the worker for its exchange).
        /// </summary>
        public const int QuietAfterTransactionMs = 1000;

        private readonly object _gate = new object();
        private long _nextMs;
        private int _failures;

        public HeartbeatSchedule(long nowMs)
        {
            _nextMs = nowMs;
        }

        /// <summary>Beats that failed in a row (0 after an answered one).</summary>
        public int Failures
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _failures;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Milliseconds from <paramref name="nowMs"/> to the next beat (0 when due).</summary>
        public long DueIn(long nowMs)
        {
            Monitor.Enter(_gate);
            try
            {
                return _nextMs > nowMs ? _nextMs - nowMs : 0;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        public bool IsDue(long nowMs)
        {
            return DueIn(nowMs) == 0;
        }

        /// <summary>The gateway answered: the next beat after the interval.</summary>
        public void Succeeded(long nowMs, int intervalMs)
        {
            Monitor.Enter(_gate);
            try
            {
                _failures = 0;
                _nextMs = nowMs + intervalMs;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>No usable answer: the next try after the backoff.</summary>
        public void Failed(long nowMs, int intervalMs)
        {
            Monitor.Enter(_gate);
            try
            {
                _failures++;
                int shift = _failures - 1 > 16 ? 16 : _failures - 1;
                long wait = (long)FirstRetryMs << shift;
                _nextMs = nowMs + (wait < intervalMs ? wait : intervalMs);
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>A transaction ended: a beat soon, unless the link is failing (its backoff stands).</summary>
        public void TransactionEnded(long nowMs)
        {
            Monitor.Enter(_gate);
            try
            {
                long soon = nowMs + QuietAfterTransactionMs;
                if (_failures == 0 && _nextMs > soon)
                {
                    _nextMs = soon;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }
    }
}
