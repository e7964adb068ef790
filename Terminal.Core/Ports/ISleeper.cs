namespace Terminal.Core.Ports
{
    /// <summary>
    /// Blocking waits for the engine's worker thread that another thread can cut short (the cashier's abort).
    /// </summary>
    public interface ISleeper
    {
        /// <summary>
        /// Waits up to <paramref name="milliseconds"/>. Returns false when <see cref="Wake"/> ended the wait early
        /// (or had been called since the previous wait returned), true when the full time passed.
        /// </summary>
        bool Sleep(int milliseconds);

        /// <summary>Ends the current or next wait early. Safe to call from any thread.</summary>
        void Wake();
    }
}
