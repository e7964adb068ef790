namespace Terminal.Payments.Engine
{
    /// <summary>
    /// The inquiry cadence: a fixed interval (default 2 s, docs/architecture.md section 6) and, while the server throttles
    /// (HTTP 429 or REQUEST_TRAFFIC_EXCEED_LIMIT, docs/antom-protocol.md 4.2), an interval that doubles up to a ceiling
    /// and drops back to normal after the first answer that is not a throttle. The budget is the caller's: CPM
    /// polls for a fixed time, MPM until the order code expires.
    /// </summary>
    public sealed class PollSchedule
    {
        private int _intervalMs;
        private int _maxBackoffMs;
        private int _currentMs;

        public PollSchedule(int intervalMs, int maxBackoffMs)
        {
            if (intervalMs < 1 || maxBackoffMs < intervalMs)
            {
                throw new System.ArgumentOutOfRangeException("intervalMs", "need 0 < interval <= max backoff");
            }

            _intervalMs = intervalMs;
            _maxBackoffMs = maxBackoffMs;
            _currentMs = intervalMs;
        }

        public int IntervalMs
        {
            get { return _intervalMs; }
        }

        /// <summary>Back to the normal interval (start of a new polling phase).</summary>
        public void Reset()
        {
            _currentMs = _intervalMs;
        }

        /// <summary>
        /// Starts a new polling phase with a new interval and ceiling (a remote setting changed them between
        /// transactions); a ceiling below the interval is raised to it.
        /// </summary>
        public void Reset(int intervalMs, int maxBackoffMs)
        {
            if (intervalMs < 1)
            {
                throw new System.ArgumentOutOfRangeException("intervalMs", "need 0 < interval");
            }

            _intervalMs = intervalMs;
            _maxBackoffMs = maxBackoffMs > intervalMs ? maxBackoffMs : intervalMs;
            _currentMs = intervalMs;
        }

        /// <summary>Wait before the next attempt, given whether the last answer was a throttle.</summary>
        public int Next(bool throttled)
        {
            if (!throttled)
            {
                _currentMs = _intervalMs;
                return _intervalMs;
            }

            int next = _currentMs * 2;
            _currentMs = next > _maxBackoffMs ? _maxBackoffMs : next;
            return _currentMs;
        }
    }
}
