using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace Terminal.Esp32.Network
{
    /// <summary>
    /// The terminal's Wi-Fi station: connects with DHCP and automatic reconnection, keeps a status for the idle
    /// screen and DIAG, and re-runs the connection when the address stays lost.
    /// </summary>
    /// <remarks>
    /// Reconnection is first the firmware's own (WifiReconnectionKind.Automatic, saved with the network
    /// configuration). A watchdog thread connects again only after <see cref="RetryAfterMs"/> without an address,
    /// e.g. when the access point was absent at boot, so that it does not fight a reconnection in progress.
    /// The ESP32 firmware starts SNTP by itself when the address arrives (docs/nanoframework.md section 1.6).
    /// </remarks>
    public sealed class WifiLink
    {
        /// <summary>Longest wait of one connection attempt (scan, association, DHCP).</summary>
        public const int ConnectTimeoutMs = 30000;

        /// <summary>Time without an address before the watchdog connects again.</summary>
        public const int RetryAfterMs = 60000;

        private const string NoAddress = "0.0.0.0";

        private readonly string _ssid;
        private readonly string _password;
        private readonly AutoResetEvent _changed = new AutoResetEvent(false);
        private readonly object _gate = new object();
        private Thread _watchdog;
        private bool _connected;
        private string _address = NoAddress;
        private string _lastProblem;
        private long _lostSinceMs;

        public WifiLink(string ssid, string password)
        {
            if (ssid == null || ssid.Length == 0)
            {
                throw new ArgumentException("no Wi-Fi network configured (wifiSsid)", "ssid");
            }

            _ssid = ssid;
            _password = password == null ? string.Empty : password;
        }

        /// <summary>Raised (on a system thread) when the link goes up or down.</summary>
        public event WifiStateHandler StateChanged;

        /// <summary>True while the station has an IPv4 address.</summary>
        public bool IsConnected
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _connected;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Successful connections after the first (by the firmware or the watchdog).</summary>
        public int Reconnections { get; private set; }

        /// <summary>Connection attempts made by the watchdog.</summary>
        public int WatchdogAttempts { get; private set; }

        /// <summary>One line for DIAG and the log, e.g. "wifi shop-wifi up 192.168.1.23".</summary>
        public string StatusText
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    string text = "wifi " + _ssid + (_connected ? " up " + _address : " down");
                    text += " reconnections=" + Reconnections + " watchdog=" + WatchdogAttempts;
                    return _lastProblem == null || _connected ? text : text + " last problem: " + _lastProblem;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>
        /// Connects once (waiting at most <see cref="ConnectTimeoutMs"/>), then starts watching the link.
        /// Returns whether the link is up; the terminal starts either way and the watchdog keeps trying.
        /// </summary>
        public bool Start()
        {
            NetworkChange.NetworkAddressChanged += OnAddressChanged;
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
            _lostSinceMs = Environment.TickCount64;
            bool up = Connect();
            _watchdog = new Thread(Watch);
            _watchdog.Start();
            return up;
        }

        private bool Connect()
        {
            bool ok;
            CancellationTokenSource timeout = new CancellationTokenSource(ConnectTimeoutMs);
            try
            {
                ok = WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, false, 0, timeout.Token);
            }
            catch (Exception e)
            {
                ok = false;
                SetProblem("connect threw " + e.Message);
            }
            finally
            {
                timeout.Dispose();
            }

            if (!ok)
            {
                Exception helper = WifiNetworkHelper.HelperException;
                SetProblem(StatusWord(WifiNetworkHelper.Status) + (helper == null ? string.Empty : " (" + helper.Message + ")"));
            }

            Refresh();
            return IsConnected;
        }

        private void Watch()
        {
            while (true)
            {
                try
                {
                    _changed.WaitOne(RetryAfterMs / 4, false);
                    Refresh();
                    long lostFor;
                    Monitor.Enter(_gate);
                    try
                    {
                        lostFor = _connected ? 0 : Environment.TickCount64 - _lostSinceMs;
                    }
                    finally
                    {
                        Monitor.Exit(_gate);
                    }

                    if (lostFor >= RetryAfterMs)
                    {
                        WatchdogAttempts++;
                        Connect();
                        Monitor.Enter(_gate);
                        try
                        {
                            _lostSinceMs = Environment.TickCount64;
                        }
                        finally
                        {
                            Monitor.Exit(_gate);
                        }
                    }
                }
                catch (Exception e)
                {
                    // The watchdog must outlive any fault (docs/architecture.md section 5).
                    SetProblem("watchdog: " + e.Message);
                    Thread.Sleep(1000);
                }
            }
        }

        private void OnAddressChanged(object sender, EventArgs e)
        {
            _changed.Set();
            Refresh();
        }

        private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
        {
            _changed.Set();
            Refresh();
        }

        /// <summary>Reads the station's address and raises <see cref="StateChanged"/> on a change.</summary>
        private void Refresh()
        {
            string address = StationAddress();
            bool up = address != null && address != NoAddress;
            bool changed;
            Monitor.Enter(_gate);
            try
            {
                changed = up != _connected;
                if (changed && up && _address != NoAddress)
                {
                    Reconnections++;
                }

                if (changed && !up)
                {
                    _lostSinceMs = Environment.TickCount64;
                }

                _connected = up;
                if (up)
                {
                    _address = address;
                    _lastProblem = null;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            WifiStateHandler handler = StateChanged;
            if (changed && handler != null)
            {
                handler(up);
            }
        }

        private void SetProblem(string problem)
        {
            Monitor.Enter(_gate);
            try
            {
                _lastProblem = problem;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private static string StationAddress()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < interfaces.Length; i++)
            {
                if (interfaces[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                {
                    return interfaces[i].IPv4Address;
                }
            }

            return null;
        }

        // Enum ToString() gives a number on nanoFramework, hence the table.
        private static string StatusWord(NetworkHelperStatus status)
        {
            switch (status)
            {
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    return "no address within the connect timeout (wrong password, network out of range?)";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    return "network not found while scanning";
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return "no Wi-Fi interface";
                case NetworkHelperStatus.ExceptionOccurred:
                    return "exception";
                case NetworkHelperStatus.Reconnecting:
                    return "reconnecting";
                default:
                    return "not connected";
            }
        }
    }
}
