using System.Threading;
using Terminal.Core.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// Waits on an <see cref="AutoResetEvent"/>, so that <see cref="Wake"/> (the cashier's abort, from the main
    /// loop) ends the worker's wait at once. A wake with nobody waiting is kept for the next wait.
    /// </summary>
    public sealed class EventSleeper : ISleeper
    {
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);

        public bool Sleep(int milliseconds)
        {
            return !_wake.WaitOne(milliseconds < 0 ? 0 : milliseconds, false);
        }

        public void Wake()
        {
            _wake.Set();
        }
    }
}
