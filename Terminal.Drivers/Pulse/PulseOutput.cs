using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Pulse
{
    /// <summary>
    /// Coin-acceptor emulation: a credit as a train of pulses on one GPIO line, one pulse per coin value, the way a
    /// coin acceptor's credit output (or a "pulse" card reader) drives a coin-op machine's coin input
    /// (hardware/vending.md: an optocoupler whose transistor closes the machine's input to its ground while the
    /// line is active). Each pulse holds the line active for the configured width; consecutive pulses are at least
    /// the configured gap apart, measured from the end of one to the start of the next, and the journal is told
    /// before each pulse, inside that gap, so a slow journal write lengthens the gap and never the pulse.
    /// <para>
    /// Blocking: <see cref="Send"/> returns after the last pulse's gap. The desk's worker calls it once the vend is
    /// paid (no payment polling runs then); the main loop never waits for it. Waits loop on the monotonic clock, so
    /// an early wake of the sleeper cannot shorten a pulse; a busy scheduler can lengthen one by a time slice
    /// (docs/vending.md section 4 has the figures and the tolerances of coin inputs).
    /// </para>
    /// </summary>
    public sealed class PulseOutput
    {
        private readonly IDigitalOutput _line;
        private readonly IPulseTimer _timer;
        private readonly bool _activeHigh;
        private readonly int _widthMs;
        private readonly int _gapMs;
        private long _gapEnd;

        /// <param name="activeHigh">True: the line is high during a pulse (an optocoupler's LED from the GPIO).</param>
        public PulseOutput(IDigitalOutput line, IPulseTimer timer, bool activeHigh, int widthMs, int gapMs)
        {
            if (line == null || timer == null)
            {
                throw new System.ArgumentNullException(line == null ? "line" : "timer");
            }

            if (widthMs < 1 || gapMs < 1)
            {
                throw new System.ArgumentOutOfRangeException(widthMs < 1 ? "widthMs" : "gapMs", "must be at least 1 ms");
            }

            _line = line;
            _timer = timer;
            _activeHigh = activeHigh;
            _widthMs = widthMs;
            _gapMs = gapMs;
            _gapEnd = timer.MonotonicMs();
        }

        /// <summary>Pulses sent since start-up.</summary>
        public long Sent { get; private set; }

        /// <summary>Puts the line in its inactive state (at start-up, before any credit).</summary>
        public void Release()
        {
            _line.Write(!_activeHigh);
        }

        /// <summary>
        /// Sends pulses <paramref name="first"/>..<paramref name="last"/> (numbers of the whole credit, 1-based),
        /// asking <paramref name="journal"/> before each. Returns the number of the last pulse sent
        /// (<paramref name="first"/> - 1 when none was).
        /// </summary>
        public int Send(int first, int last, IPulseJournal journal)
        {
            int sent = first - 1;
            for (int n = first; n <= last; n++)
            {
                if (journal != null && !journal.BeforePulse(n))
                {
                    break;
                }

                WaitUntil(_gapEnd);
                _line.Write(_activeHigh);
                WaitUntil(_timer.MonotonicMs() + _widthMs);
                _line.Write(!_activeHigh);
                _gapEnd = _timer.MonotonicMs() + _gapMs;
                Sent++;
                sent = n;
            }

            WaitUntil(_gapEnd);
            return sent;
        }

        private void WaitUntil(long until)
        {
            long left;
            while ((left = until - _timer.MonotonicMs()) > 0)
            {
                _timer.Sleep(left > int.MaxValue ? int.MaxValue : (int)left);
            }
        }
    }
}
