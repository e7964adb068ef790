namespace Terminal.Core.Ports
{
    /// <summary>Time sources. Wall time can jump (NTP, skew); the monotonic count cannot.</summary>
    public interface IClock
    {
        /// <summary>Wall clock: milliseconds since 1970-01-01T00:00:00Z.</summary>
        long UtcNowMs();

        /// <summary>Milliseconds since an arbitrary start; never goes back. Used for every deadline.</summary>
        long MonotonicMs();
    }
}
