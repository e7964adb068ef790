using System.Device.Wifi;
using nanoFramework.Networking;
using Terminal.Core.Ports;
using Terminal.Esp32.Network;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// The heartbeat's platform figures on the ESP32 (docs/fleet-link.md): free managed heap after a collection
    /// (nanoFramework.Runtime.Native.GC.Run returns the free bytes), the access point's signal from the Wi-Fi adapter's
    /// last scan report, and the reconnections <see cref="WifiLink"/> counted.
    /// </summary>
    /// <remarks>
    /// nanoFramework reports RSSI only per scanned network (WifiAvailableNetwork.NetworkRssiInDecibelMilliwatts), not for
    /// the association itself, so the figure is the configured SSID's in the newest scan. A scan is asked for at most
    /// every <see cref="RescanAfterMs"/>, from the heartbeat (so between transactions) and without waiting for it
    /// (WifiAdapter.ScanAsync): the station stays associated while the ESP32 scans, and the answer is read at a later beat.
    /// </remarks>
    public sealed class Esp32Health : IPlatformHealth
    {
        /// <summary>Least time between two scans for the signal figure.</summary>
        public const long RescanAfterMs = 15 * 60 * 1000;

        private readonly WifiLink _wifi;
        private readonly string _ssid;
        private long _lastScanMs = long.MinValue;

        public Esp32Health(WifiLink wifi, string ssid)
        {
            _wifi = wifi;
            _ssid = ssid;
        }

        public long FreeHeapBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }

        public int WifiRssi()
        {
            if (!_wifi.IsConnected)
            {
                return 0;
            }

            try
            {
                WifiAdapter adapter = WifiNetworkHelper.WifiAdapter;
                if (adapter == null)
                {
                    return 0;
                }

                int rssi = Strongest(adapter.NetworkReport);
                long now = System.Environment.TickCount64;
                if (_lastScanMs == long.MinValue || now - _lastScanMs >= RescanAfterMs)
                {
                    _lastScanMs = now;
                    adapter.ScanAsync();
                }

                return rssi;
            }
            catch (System.Exception)
            {
                // Unknown is a valid answer; the heartbeat leaves the figure out.
                return 0;
            }
        }

        public int WifiReconnects()
        {
            return _wifi.Reconnections;
        }

        /// <summary>The strongest signal of the configured SSID in a scan report (an SSID may have several access points), 0 if absent.</summary>
        private int Strongest(WifiNetworkReport report)
        {
            if (report == null)
            {
                return 0;
            }

            WifiAvailableNetwork[] networks = report.AvailableNetworks;
            if (networks == null)
            {
                return 0;
            }

            int best = 0;
            for (int i = 0; i < networks.Length; i++)
            {
                WifiAvailableNetwork network = networks[i];
                if (network == null || network.Ssid != _ssid)
                {
                    continue;
                }

                int rssi = (int)network.NetworkRssiInDecibelMilliwatts;
                if (rssi < 0 && (best == 0 || rssi > best))
                {
                    best = rssi;
                }
            }

            return best;
        }
    }
}
