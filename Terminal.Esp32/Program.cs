using System;
using System.Device.Gpio;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.Runtime.Native;
using Terminal.Core.Config;
using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Esp32.Bindings;
using Terminal.Esp32.Board;
using Terminal.Esp32.Network;
using Terminal.Esp32.Startup;
using Terminal.Esp32.Updates;
using Terminal.Firmware.App;
using Terminal.Firmware.Config;
using Terminal.Firmware.HostLink;
using Terminal.Io.Http;
using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Vending.Config;

namespace Terminal.Esp32
{
    /// <summary>
    /// The ESP32 terminal: reads I:\terminal.json, routes the pins, opens the ports, joins Wi-Fi, waits for network
    /// time, then runs the portable <see cref="TerminalApp"/> on the nanoFramework bindings until power-off.
    /// <para>
    /// Order matters: the display and the host link come first, so that a terminal that cannot start (bad or missing
    /// configuration, a failing part) says why on its screen and on the host link instead of staying dark (on its
    /// screen alone when the configuration turns the host link off: an MDB vending machine, whose bridge takes COM3). It then
    /// keeps answering the host link (STATUS, DIAG, SELFTEST; every transaction refused with the reason).
    /// </para>
    /// <para>
    /// Wi-Fi and the clock come before the app: the app's first job is recovering any transaction a power cut left
    /// open, which needs the gateway, and signatures need a wall clock that SNTP has set.
    /// </para>
    /// <para>
    /// Two ways in (docs/ota.md, "On the ESP32"): <see cref="Main"/> when this assembly is deployed with the
    /// runtime (the whole-image install of a board that cannot take updates), <see cref="LoaderMain"/> when the
    /// flashed Terminal.Esp32.Boot loaded it from a version folder on I: (a bundle's entry point): only then does
    /// the terminal get its update ports, and a version on trial that cannot start is rolled back.
    /// </para>
    /// </summary>
    public static class Program
    {
        /// <summary>Longest wait at boot for SNTP to set the clock once Wi-Fi is up.</summary>
        private const int ClockWaitMs = 30000;

        /// <summary>Longest wait for a serial write to leave the port; a dead host must not stall the terminal.</summary>
        private const int SerialWriteTimeoutMs = 500;

        /// <summary>The journal's folder on the internal flash volume.</summary>
        private const string RecordsFolder = "I:\\records";

        private const string FixConfiguration = "Fix I:\\terminal.json (flash.ps1), then restart.";
        private const string CallSupport = "Restart the terminal. If it persists, call support.";

        /// <summary>Deployed with the runtime: no updates (the image is replaced only by flashing).</summary>
        public static void Main()
        {
            Start(false);
        }

        /// <summary>Loaded by Terminal.Loader from I:\ota (the bundle's entry point): updates on.</summary>
        public static void LoaderMain()
        {
            Start(true);
        }

        private static void Start(bool underLoader)
        {
            ConsoleLog log = new ConsoleLog(LogLevel.Info);
            log.Write(LogLevel.Info, "terminal " + TerminalApp.Version + " starting" + (underLoader ? " from the loader" : ""));

            TerminalConfig config = null;
            string problem = null;
            try
            {
                config = ConfigFile.Load();
            }
            catch (ConfigException e)
            {
                problem = "Configuration: " + e.Message;
            }
            catch (Exception e)
            {
                problem = "Configuration: (file): " + e.Message;
            }

            // With an unusable file the display (the default OLED) and the host link still come up, on the default pins.
            TerminalConfig wiring = config == null ? new TerminalConfig() : config;
            DisplayPorts display = DisplayPorts.Open(wiring.Display, new GpioController());
            string displayReport = display.Report;
            log.Write(display.AsConfigured ? LogLevel.Info : LogLevel.Warning, displayReport);
            BootScreen screen = new BootScreen(display.CreateRendering(wiring.Display));
            // A receipt printer takes COM3 (hardware/README.md section 7): then there is no host link to open.
            UartSerialPort hostLink = wiring.HostLink.Enabled && !CountertopPorts.PrinterHasHostLinkUart(wiring) ? OpenHostLink(wiring, screen, log, underLoader) : null;

            if (problem != null)
            {
                Halt(problem, FixConfiguration, screen, hostLink, new DeviceDiagnostics(displayReport, null, null, null, null), log, underLoader);
            }

            try
            {
                Run(config, display, screen, hostLink, log, underLoader);
            }
            catch (ConfigException e)
            {
                Halt("Configuration: " + e.Message, FixConfiguration, screen, hostLink, new DeviceDiagnostics(displayReport, null, null, null, null), log, underLoader);
            }
            catch (Exception e)
            {
                Halt("Start-up failed: " + e.Message, CallSupport, screen, hostLink, new DeviceDiagnostics(displayReport, null, null, null, null), log, underLoader);
            }
        }

        private static void Run(TerminalConfig config, DisplayPorts display, BootScreen screen, UartSerialPort hostLink, ConsoleLog log, bool underLoader)
        {
            X509Certificate ca = ConfigFile.LoadCaCertificate(config);
            PinSetup.ScannerPort(config.Scanner.Tx, config.Scanner.Rx);
            UartSerialPort scanner = new UartSerialPort(BoardDefaults.ScannerPortName, BoardDefaults.ScannerBaud, SerialWriteTimeoutMs);
            CountertopPorts countertop = CountertopPorts.Open(config, log);
            RecordStore storage = new RecordStore(new FlashFolder(RecordsFolder));
            if (storage.RecoveredWrites > 0 || storage.DiscardedPartials > 0 || storage.ConvertedRecords > 0)
            {
                log.Write(LogLevel.Warning, "storage: kept " + storage.RecoveredWrites + " completed and discarded "
                    + storage.DiscardedPartials + " interrupted writes, converted " + storage.ConvertedRecords + " records of the earlier format");
            }

            GatewayExchange http = new GatewayExchange(GatewayAddress.Parse(config.Network.GatewayUrl), ca);
            WifiLink wifi = new WifiLink(config.Network.WifiSsid, config.Network.WifiPassword);
            screen.Progress("Connecting to Wi-Fi");
            if (wifi.Start())
            {
                screen.Progress("Waiting for network time");
                WaitForClock();
            }

            log.Write(LogLevel.Info, wifi.StatusText + (DeviceClock.WallClockValid ? ", clock set" : ", clock not set yet"));

            TerminalPorts ports = new TerminalPorts();
            ports.Http = http;
            ports.Mac = new NativeHmac(config.Device.Key);
            ports.Storage = storage;
            ports.Clock = new DeviceClock();
            ports.Sleeper = new EventSleeper();
            ports.Random = new HardwareRandom();
            ports.Log = log;
            ports.Health = new Esp32Health(wifi, config.Network.WifiSsid);
            ports.DisplayBus = display.I2c;
            ports.DisplaySpi = display.Spi;
            ports.DisplayBacklight = display.Backlight;
            ports.ScannerPort = scanner;
            ports.HostLinkPort = hostLink != null ? (ISerialPort)hostLink : wiring.HostLink.Enabled ? new UnwiredSerialPort() : null;
            ports.KeypadBus = countertop.Keypad;
            ports.Buzzer = countertop.Buzzer;
            ports.PrinterPort = countertop.Printer;
            if (config.Vending.IsPulse)
            {
                // Inactive level at once: a floating or wrong level at boot must not count as a coin.
                ports.PulseLine = new GpioOutput(new GpioController(), config.Vending.PulsePin, config.Vending.PulseLevel == VendingSection.Low);
            }

            if (config.Vending.IsMdb)
            {
                PinSetup.MdbBridgePort(ConfigFile.MdbTx(config), ConfigFile.MdbRx(config));
                ports.MdbBridgePort = new UartSerialPort(BoardDefaults.MdbBridgePortName, BoardDefaults.MdbBridgeBaud, SerialWriteTimeoutMs);
            }

            if (underLoader)
            {
                ports.Updates = FlashUpdatePorts.Create();
            }

            TerminalApp app = new TerminalApp(config, ports, new TerminalAppSettings());
            DeviceDiagnostics diagnostics = new DeviceDiagnostics(display.Report, countertop.Report, wifi, http, storage);
            app.PlatformDiagnostics = diagnostics.Lines;
            app.NetworkUp = wifi.IsConnected;
            wifi.StateChanged += delegate(bool connected)
            {
                app.NetworkUp = connected;
                log.Write(connected ? LogLevel.Info : LogLevel.Warning, wifi.StatusText);
            };

            app.Start();
            app.Run();

            // Run returns only after Stop, which only the updater's restart calls, and that reboots: start afresh anyway.
            log.Write(LogLevel.Error, "terminal: main loop ended; rebooting");
            Power.RebootDevice();
        }

        private static UartSerialPort OpenHostLink(TerminalConfig wiring, BootScreen screen, ConsoleLog log, bool underLoader)
        {
            try
            {
                PinSetup.HostLinkPort(ConfigFile.HostLinkTx(wiring), ConfigFile.HostLinkRx(wiring));
                return new UartSerialPort(BoardDefaults.HostLinkPortName, BoardDefaults.HostLinkBaud, SerialWriteTimeoutMs);
            }
            catch (Exception e)
            {
                // Without a host link the terminal cannot be driven; say so where it can be seen.
                Halt("Host link " + BoardDefaults.HostLinkPortName + " failed: " + e.Message, CallSupport, screen, null, null, log, underLoader);
                return null;
            }
        }

        private static void WaitForClock()
        {
            long deadline = Environment.TickCount64 + ClockWaitMs;
            while (!DeviceClock.WallClockValid && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(500);
            }
        }

        /// <summary>
        /// The terminal cannot start: shows why, reports it on the host link and then only answers the host link
        /// (STATUS, DIAG, SELFTEST; transactions are refused with the reason). Never returns. A version on trial
        /// that cannot start is rolled back instead, with the reason, and the chip reboots into the known one.
        /// </summary>
        private static void Halt(string reason, string action, BootScreen screen, UartSerialPort hostLink, DeviceDiagnostics diagnostics, ConsoleLog log, bool underLoader)
        {
            log.Write(LogLevel.Error, reason);
            if (underLoader)
            {
                RollBackOnTrial(reason, log);
            }

            screen.Failure(reason, action);
            if (hostLink == null)
            {
                Thread.Sleep(Timeout.Infinite);
            }

            HostLinkServer server = new HostLinkServer(hostLink, new FailureHandler(reason, diagnostics));
            server.SendDeviceStatus("TERMINAL", "NOT_STARTED", reason);
            while (true)
            {
                try
                {
                    server.Poll(1000);
                }
                catch (Exception e)
                {
                    log.Write(LogLevel.Error, "host link: " + e.Message);
                    Thread.Sleep(1000);
                }
            }
        }

        /// <summary>A version on trial: rolled back ("start failed: ...", which the heartbeat of the known version reports
        /// at the gateway), then the chip reboots. Nothing on trial (or the record unreadable): returns.</summary>
        private static void RollBackOnTrial(string reason, ConsoleLog log)
        {
            try
            {
                BootSelector boot = new BootSelector(new FlashFolder(FlashUpdatePorts.Root + "\\" + VersionFolderName.Boot));
                if (boot.RollBack("start failed: " + reason))
                {
                    log.Write(LogLevel.Error, "update: the version on trial cannot start, rolled back; rebooting");
                    Power.RebootDevice();
                }
            }
            catch (Exception e)
            {
                // Left on trial, the loader rolls it back at its third boot without the healthy mark.
                log.Write(LogLevel.Error, "update: rollback failed: " + e.Message);
            }
        }
    }
}
