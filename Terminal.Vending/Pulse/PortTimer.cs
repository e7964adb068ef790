using Terminal.Core.Ports;
using Terminal.Drivers.Pulse;

namespace Terminal.Vending.Pulse
{
    /// <summary>The pulse output's time: the terminal's monotonic clock and the worker's sleeper.</summary>
    public sealed class PortTimer : IPulseTimer
    {
        private readonly IClock _clock;
        private readonly ISleeper _sleeper;

        public PortTimer(IClock clock, ISleeper sleeper)
        {
            _clock = clock;
            _sleeper = sleeper;
        }

        public long MonotonicMs()
        {
            return _clock.MonotonicMs();
        }

        public void Sleep(int milliseconds)
        {
            _sleeper.Sleep(milliseconds);
        }
    }
}
