namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// What one heartbeat reports besides the journal, filled in place before each beat (one instance, reused).
    /// Strings are constants or references kept by their owners; numbers that are unknown are negative (heap,
    /// reconnections) or 0 (RSSI) and are left out of the body.
    /// </summary>
    public sealed class HeartbeatFacts
    {
        /// <summary>Length of <see cref="Beat"/>: 16 hexadecimal digits of 8 random bytes.</summary>
        public const int BeatLength = 16;

        /// <summary>Longest lastError reported, in characters.</summary>
        public const int MaxErrorLength = 120;

        private readonly byte[] _beat = new byte[BeatLength];

        /// <summary>This beat's random id; the gateway's answer must repeat it (an old answer cannot be replayed).</summary>
        public byte[] Beat
        {
            get { return _beat; }
        }

        public string Firmware;
        public long UptimeS;
        public int IntervalMs;
        public long BootCount;
        public string BootReason;
        public long FreeHeapBytes = -1;
        public int WifiRssi;
        public int WifiReconnects = -1;
        public string Scanner;
        public string Display;
        public string Storage;
        public string Clock;
        public long SettingsApplied;
        public long SettingsRejected;
        public string RejectedField;
        public string RejectedReason;

        /// <summary>The bundle version the update member is about; null leaves the member out.</summary>
        public string UpdateVersion;

        /// <summary>downloading, staged, trial, healthy, rolled_back or refused (docs/ota.md).</summary>
        public string UpdateState;

        /// <summary>Bytes staged (downloading, staged); negative leaves it out.</summary>
        public long UpdateBytes = -1;

        /// <summary>Why it was rolled back or refused, at most <see cref="MaxErrorLength"/> characters; null for none.</summary>
        public string UpdateReason;

        /// <summary>The last error line, at most <see cref="MaxErrorLength"/> characters; null for none.</summary>
        public string LastError;
    }
}
