namespace Terminal.Drivers.Pulse
{
    /// <summary>The time the pulse output measures and waits in: the platform's monotonic clock and sleeper.</summary>
    public interface IPulseTimer
    {
        /// <summary>Monotonic milliseconds (any origin).</summary>
        long MonotonicMs();

        /// <summary>Waits about <paramref name="milliseconds"/>; may return early (the output then waits again).</summary>
        void Sleep(int milliseconds);
    }
}
