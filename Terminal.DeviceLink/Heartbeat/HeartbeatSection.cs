using Terminal.Core.Config;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>The device link: how often the terminal reports to the gateway (key heartbeatIntervalMs).</summary>
    public sealed class HeartbeatSection : ConfigSection
    {
        public HeartbeatSection()
            : base("deviceLink")
        {
            HeartbeatIntervalMs = 60000;
        }

        /// <summary>Time between heartbeats when nothing happens (one also follows each transaction).</summary>
        public int HeartbeatIntervalMs { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Integer("heartbeatIntervalMs", 1000, 3600000, HeartbeatIntervalMs, false, delegate(long v) { HeartbeatIntervalMs = (int)v; });

            // Remotely at least 30 s: a fleet-wide value must not flood the gateway.
            rules.Remote("heartbeatIntervalMs", 30000, 3600000);
        }
    }
}
