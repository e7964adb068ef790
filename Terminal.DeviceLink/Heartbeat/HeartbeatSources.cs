using Terminal.Core.Ports;
using Terminal.DeviceLink.Settings;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// Where the heartbeat reads what it reports and the ports it needs besides the HTTP exchange (the composition
    /// fills it, as <c>TerminalPorts</c>). Required: <see cref="Clock"/>, <see cref="Random"/>, <see cref="Boot"/>,
    /// <see cref="Log"/>, <see cref="Parts"/>; the others may stay null.
    /// </summary>
    public sealed class HeartbeatSources
    {
        public IClock Clock { get; set; }

        /// <summary>Entropy for each beat's id.</summary>
        public IRandom Random { get; set; }

        public BootRecord Boot { get; set; }

        /// <summary>The terminal's log; its last error line is reported.</summary>
        public LastErrorLog Log { get; set; }

        public IPartsHealth Parts { get; set; }

        /// <summary>Free heap and Wi-Fi, when the platform knows them.</summary>
        public IPlatformHealth Platform { get; set; }

        /// <summary>Remote settings: offered the answer's version, reported in the next beat; null when off.</summary>
        public RemoteSettings Settings { get; set; }

        /// <summary>Updates: offered the answer's update, reported in the next beat; null when off.</summary>
        public IUpdateLink Updates { get; set; }

        /// <summary>Firmware version reported: the application running (a bundle's version once one runs).</summary>
        public string Firmware { get; set; }
    }
}
