namespace Terminal.Core.Ports
{
    /// <summary>
    /// What only the platform knows about the device's health, for the heartbeat (docs/fleet-link.md): free managed
    /// heap and the Wi-Fi link. Called on the desk's worker once per heartbeat; must not block. A value the platform
    /// cannot tell is reported as unknown and left out of the heartbeat.
    /// </summary>
    public interface IPlatformHealth
    {
        /// <summary>Free managed heap in bytes (on the ESP32 after a collection), or -1 when unknown.</summary>
        long FreeHeapBytes();

        /// <summary>Received signal strength of the Wi-Fi access point in dBm (negative), or 0 when unknown or not connected.</summary>
        int WifiRssi();

        /// <summary>Wi-Fi reconnections since boot, or -1 when unknown.</summary>
        int WifiReconnects();
    }
}
