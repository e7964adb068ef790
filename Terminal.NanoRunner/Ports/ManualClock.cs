using Terminal.Core.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>
    /// Wall and monotonic time that move only when the engine sleeps: every wait passes at once and in full, so a
    /// scenario of minutes runs in milliseconds and prints the same times on every runtime.
    /// </summary>
    public sealed class ManualClock : IClock, ISleeper
    {
        /// <summary>2026-03-14T01:30:00Z: a fixed start keeps request times, expiries and ids reproducible.</summary>
        public const long StartEpochMs = 1773451800000L;

        private long _elapsedMs;

        public long UtcNowMs()
        {
            return StartEpochMs + _elapsedMs;
        }

        public long MonotonicMs()
        {
            return _elapsedMs;
        }

        public bool Sleep(int milliseconds)
        {
            if (milliseconds > 0)
            {
                _elapsedMs += milliseconds;
            }

            return true;
        }

        public void Wake()
        {
        }
    }
}
