using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;
using Terminal.Esp32.Bindings;
using Terminal.Esp32.Network;
using Terminal.Io.Storage;

namespace Terminal.Esp32.Startup
{
    /// <summary>The device's own DIAG lines: memory, firmware, the OLED's I2C address, the countertop's parts, Wi-Fi, clock, storage recovery.</summary>
    public sealed class DeviceDiagnostics
    {
        private readonly string _display;
        private readonly string _countertop;
        private readonly WifiLink _wifi;
        private readonly GatewayExchange _http;
        private readonly RecordStore _storage;

        /// <param name="display">Which OLED address answered at boot (<see cref="Board.DisplayProbe"/>).</param>
        /// <param name="countertop">The keypad, buzzer and printer opened at boot (<see cref="Board.CountertopPorts"/>); null for none.</param>
        /// <param name="wifi">Null when the terminal did not get as far as the network.</param>
        public DeviceDiagnostics(string display, string countertop, WifiLink wifi, GatewayExchange http, RecordStore storage)
        {
            _display = display;
            _countertop = countertop == null ? "countertop none fitted" : countertop;
            _wifi = wifi;
            _http = http;
            _storage = storage;
        }

        public string[] Lines()
        {
            // GC.Run collects and returns the free managed heap (there is no GetTotalMemory on nanoFramework).
            uint managedFree = nanoFramework.Runtime.Native.GC.Run(false);
            uint total;
            uint free;
            uint largest;
            NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.Internal, out total, out free, out largest);
            return new string[]
            {
                "heap managed free=" + managedFree + " native free=" + free + " largest=" + largest,
                "nanoFramework " + SystemInfo.Version.ToString() + " target " + SystemInfo.TargetName + " platform " + SystemInfo.Platform,
                _display,
                _countertop,
                _wifi == null ? "wifi not started" : _wifi.StatusText,
                "clock " + (DeviceClock.WallClockValid ? "set" : "not set (waiting for SNTP)"),
                _http == null ? "http not started" : "http opened=" + _http.Client.ConnectionsOpened + " reused=" + _http.Client.ConnectionsReused
                    + " stale retries=" + _http.Client.StaleRetries + " refused for clock=" + _http.RefusedForClock
                    + " lookup failures=" + _http.Connection.LookupFailures + " connect failures=" + _http.Connection.ConnectFailures
                    + " tls failures=" + _http.Connection.HandshakeFailures + " tls timeout refused=" + _http.Connection.TimeoutOptionRefused,
                _storage == null ? "storage not opened" : "storage recovered writes=" + _storage.RecoveredWrites + " discarded partials=" + _storage.DiscardedPartials
                    + " converted=" + _storage.ConvertedRecords + " corrupt reads=" + _storage.CorruptReads + " stale copies=" + _storage.StaleCopies,
            };
        }
    }
}
