using System;
using Terminal.Core.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// The ESP32's clocks: wall time from the RTC, which the firmware sets by SNTP once Wi-Fi has an address
    /// (nanoFramework starts SNTP itself on the ESP32), and the monotonic tick count.
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        /// <summary>A wall clock before this year has not been set yet (it starts at 1970 after power-up).</summary>
        public const int FirstValidYear = 2024;

        // DateTime ticks of 1970-01-01T00:00:00Z.
        private const long UnixEpochTicks = 621355968000000000L;

        /// <summary>
        /// True once SNTP has set the clock. Signatures carry the time (Request-Time) and the gateway rejects
        /// requests outside its time window, so nothing is signed and sent before this holds.
        /// </summary>
        public static bool WallClockValid
        {
            get { return DateTime.UtcNow.Year >= FirstValidYear; }
        }

        public long UtcNowMs()
        {
            return (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
        }

        public long MonotonicMs()
        {
            return Environment.TickCount64;
        }
    }
}
