namespace Terminal.Drivers.Pulse
{
    /// <summary>Told before each pulse goes out, so the count can be made durable first (write-ahead).</summary>
    public interface IPulseJournal
    {
        /// <summary>
        /// Pulse <paramref name="number"/> (1-based, counting the whole credit) is about to go out. False: it must
        /// not (the count could not be recorded); the output stops before it.
        /// </summary>
        bool BeforePulse(int number);
    }
}
