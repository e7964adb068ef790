using System;
using System.Threading;
using Terminal.Core.Ports;
using Terminal.Countertop;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Menu;
using Terminal.Countertop.Pin;
using Terminal.Countertop.Receipts;
using Terminal.Countertop.Sound;
using Terminal.DeviceLink;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Drivers.Buzzer;
using Terminal.Drivers.Display;
using Terminal.Drivers.Keypad;
using Terminal.Drivers.Keypad.Pcf8574;
using Terminal.Drivers.MdbBridge;
using Terminal.Drivers.Printer;
using Terminal.Drivers.Pulse;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Config;
using Terminal.Firmware.Diagnostics;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Screens;
using Terminal.Transactions;
using Terminal.Updates;
using Terminal.Vending.Config;
using Terminal.Vending.Mdb;
using Terminal.Vending.Pulse;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// The terminal composed from <see cref="TerminalPorts"/> only, so that the ESP32 Program.Main and the PC
    /// simulator run the same thing:
    /// <code>
    /// TerminalApp app = new TerminalApp(config, ports, new TerminalAppSettings());
    /// app.Start();   // display, journal, scanner set-up, then boot recovery on the desk's worker
    /// app.Run();     // main loop on the calling thread until Stop()
    /// </code>
    /// <para>
    /// Components (docs/decisions/004-transaction-desk-and-folders.md): the <see cref="TransactionDesk"/> takes
    /// transactions from the front ends and runs them on its worker; the <see cref="HostLinkFrontEnd"/> is the cash
    /// register's front end; a vending machine's is <see cref="PulseVending"/> (coin-op credit pulses) or
    /// <see cref="MdbVending"/> (MDB cashless device through a bridge); the <see cref="CountertopFrontEnd"/> (when a
    /// keypad, buzzer or printer is fitted) is the standalone countertop's, with its menu, receipts and sounds;
    /// <see cref="TerminalScreens"/> draws what the desk publishes. This class wires them, runs the main loop
    /// (<see cref="RunOnce"/>: host link or vending machine, keys, scanner, countertop, display) and answers STATUS and DIAG.
    /// The main loop allocates nothing while nothing happens; its top level catches, logs and carries on.
    /// </para>
    /// </summary>
    public sealed class TerminalApp
    {
        /// <summary>Firmware version reported at boot, in DIAG and in the self-test.</summary>
        public const string Version = "1.0.0";

        private readonly TerminalConfig _config;
        private readonly TerminalAppSettings _settings;
        private readonly IClock _clock;
        private readonly LastErrorLog _log;
        private readonly Gm65Scanner _scanner;
        private readonly TransactionDesk _desk;
        private readonly TerminalScreens _screens;
        private readonly HostLinkFrontEnd _hostLink;
        private readonly PulseVending _pulse;
        private readonly MdbVending _mdb;
        private readonly MdbBridge _bridge;
        private readonly FleetLink _fleetLink;
        private readonly Updater _updater;
        private readonly Keypad _keypad;
        private readonly SoundCues _sound;
        private readonly ReceiptPrinter _receipts;
        private readonly PinVault _pinVault;
        private readonly CountertopFrontEnd _countertop;
        private readonly ObserverRelay _observer = new ObserverRelay();

        private int _stop;
        private int _okPressed;
        private int _cancelPressed;
        private int _loopFaults;

        public TerminalApp(TerminalConfig config, TerminalPorts ports, TerminalAppSettings settings)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            if (ports == null)
            {
                throw new ArgumentNullException("ports");
            }

            CheckPort(ports.Http, "Http");
            CheckPort(ports.Mac, "Mac");
            CheckPort(ports.Storage, "Storage");
            CheckPort(ports.Clock, "Clock");
            CheckPort(ports.Sleeper, "Sleeper");
            CheckPort(ports.Random, "Random");
            if (config.Display.IsTft)
            {
                CheckPort(ports.DisplaySpi, "DisplaySpi");
            }
            else
            {
                CheckPort(ports.DisplayBus, "DisplayBus");
            }

            if (config.HostLink.Enabled)
            {
                CheckPort(ports.HostLinkPort, "HostLinkPort");
            }

            if (config.Vending.IsPulse)
            {
                CheckPort(ports.PulseLine, "PulseLine");
            }

            if (config.Vending.IsMdb)
            {
                CheckPort(ports.MdbBridgePort, "MdbBridgePort");
            }

            _config = config;
            _settings = settings == null ? new TerminalAppSettings() : settings;
            _clock = ports.Clock;
            _log = new LastErrorLog(ports.Log);
            if (ports.ScannerPort != null)
            {
                _scanner = new Gm65Scanner(ports.ScannerPort, new ScannerClock(Mono));
            }

            IScreenRendering display = ScreenRenderings.Create(config.Display, ports.DisplayBus, ports.DisplaySpi, ports.DisplayBacklight, null);
            _screens = new TerminalScreens(display, ports.Clock, _log, IdleName(config), _settings.SpinnerStepMs);

            DeskTimings timings = new DeskTimings();
            timings.ScanTimeoutMs = _settings.ScanTimeoutMs;
            timings.ScanRetriggerMs = _settings.ScanRetriggerMs;
            timings.WorkerIdleWaitMs = _settings.WorkerIdleWaitMs;
            _desk = new TransactionDesk(config.Payments, ports.Http, ports.Mac, ports.Storage, ports.Clock, ports.Sleeper, ports.Random, _log, _scanner, timings);
            if (config.HostLink.Enabled)
            {
                _hostLink = new HostLinkFrontEnd(ports.HostLinkPort, _desk, StatusText, DiagnosticLines, SelfTest.RunForHostLink);
            }

            VendingSection vending = config.Vending;
            if (vending.IsPulse)
            {
                PulseOutput output = new PulseOutput(ports.PulseLine, new PortTimer(ports.Clock, ports.Sleeper), vending.PulseLevel == VendingSection.High, vending.PulseWidthMs, vending.PulseGapMs);
                PulseCredit credit = new PulseCredit(vending, output, ports.Log);
                _pulse = new PulseVending(vending, _desk, credit, ports.Clock, ports.Log);
                _desk.UseVendChannel(credit);
            }
            else if (vending.IsMdb)
            {
                _bridge = new MdbBridge(ports.MdbBridgePort, Terminal.Core.Money.Currency.Exponent(config.Engine.Currency));
                _mdb = new MdbVending(vending, config.Engine.Currency, _desk, _bridge, ports.Clock, ports.Sleeper, ports.Log);
                _desk.UseVendChannel(_mdb);
            }

            // Results reach the screen first, then the observer, then the register (NEEDS_REVIEW, RESULT), then
            // the vending front end (the next offer; VEND DENIED).
            _desk.AddProgressSubscriber(_screens);
            _desk.AddResultSubscriber(_screens);
            _desk.AddResultSubscriber(_observer);
            if (_hostLink != null)
            {
                _desk.AddProgressSubscriber(_hostLink);
                _desk.AddResultSubscriber(_hostLink);
                _desk.AddResolutionSubscriber(_hostLink);
            }

            if (_pulse != null)
            {
                _desk.AddResultSubscriber(_pulse);
            }

            if (_mdb != null)
            {
                _desk.AddResultSubscriber(_mdb);
            }

            HeartbeatSources sources = new HeartbeatSources();
            sources.Clock = ports.Clock;
            sources.Random = ports.Random;
            sources.Log = _log;
            sources.Parts = new PartsHealth(_scanner, _screens);
            sources.Platform = ports.Health;
            sources.Firmware = Version;
            if (ports.Updates != null)
            {
                _updater = new Updater(config.Updates, config.Payments, ports.Mac, ports.Http, ports.Updates, Version, ports.Clock, _log);
                _updater.Attach(_desk);
                sources.Updates = _updater;
                sources.Firmware = _updater.Running;
            }

            _fleetLink = new FleetLink(config.DeviceLink, config.Payments, config.Sections, TerminalConfig.NewSections, ports.Mac, ports.Http, ports.Storage, sources);
            _fleetLink.Attach(_desk);
            _fleetLink.Settings.Applied = SettingsApplied;

            // The standalone countertop: keypad, buzzer and printer are each optional.
            if (config.Keypad.Fitted && ports.KeypadBus != null)
            {
                KeypadLayout layout = config.Keypad.Layout == KeypadSection.Layout3x4 ? KeypadLayout.ThreeByFour() : KeypadLayout.FourByFour();
                _keypad = new Keypad(new Pcf8574KeyMatrix(ports.KeypadBus, layout), layout, Keypad.DefaultDebounceMs);
            }

            if (ports.Buzzer != null)
            {
                _sound = new SoundCues(new TonePlayer(ports.Buzzer, config.Buzzer.EffectiveVolume));
                _desk.AddResultSubscriber(_sound);
            }

            if (config.Printer.Fitted && ports.PrinterPort != null)
            {
                ReceiptHeader header = new ReceiptHeader(config.Merchant.MerchantName, config.Merchant.StoreName, config.Payments.EffectiveTerminalId);
                _receipts = new ReceiptPrinter(new EscPosPrinter(ports.PrinterPort), new ReceiptComposer(header), ports.Clock, ports.Log,
                    config.Printer.Baud, config.Printer.Copies, config.Engine.Currency);
                _desk.AddResultSubscriber(_receipts);
            }

            if (_keypad != null || _sound != null || _receipts != null)
            {
                _pinVault = new PinVault(ports.Storage, ports.Mac, ports.Random, ports.Log);
                MerchantMenu menu = new MerchantMenu(_desk, _screens, _pinVault, _receipts, DiagnosticLines, SelfTest.RunForMenu,
                    config.Engine.Currency, config.Keypad.MaxAmountMinor, ports.Log);
                _countertop = new CountertopFrontEnd(_desk, _keypad, _screens, menu, _sound, _receipts, config.Engine.Currency, config.Keypad.MaxAmountMinor, ports.Log);
                if (_pulse != null)
                {
                    _countertop.SellAsVends(_pulse.RequestVend);
                }
                else if (_mdb != null)
                {
                    _countertop.SellAsVends(_mdb.RequestVend);
                }
            }

            NetworkUp = true;
        }

        /// <summary>What the terminal is doing now.</summary>
        public DeskPhase Phase
        {
            get { return _desk.Phase; }
        }

        /// <summary>Set by the network binding (Wi-Fi up, address assigned); shown on the idle screen.</summary>
        public bool NetworkUp { get; set; }

        /// <summary>Told of every final result; see <see cref="PaymentResultHandler"/>.</summary>
        public PaymentResultHandler ResultObserver
        {
            get { return _observer.Handler; }
            set { _observer.Handler = value; }
        }

        /// <summary>Adds the platform's lines to DIAG (e.g. free heap on the device); null for none.</summary>
        public DiagnosticsSource PlatformDiagnostics { get; set; }

        /// <summary>The screen in the framebuffer now.</summary>
        public ScreenKind Screen
        {
            get { return _screens.Current; }
        }

        /// <summary>Counts every new screen drawn (not countdown or spinner steps): a viewer redraws when it changes.</summary>
        public int ScreenVersion
        {
            get { return _screens.Version; }
        }

        /// <summary>The OLED's framebuffer (a viewer may read it); null with a colour TFT.</summary>
        public Framebuffer Framebuffer
        {
            get { return _screens.Framebuffer; }
        }

        /// <summary>True while drawn screen changes have not reached the display (the main loop sends them).</summary>
        public bool DisplayPending
        {
            get { return _screens.DisplayPending; }
        }

        /// <summary>The host link server (its counters appear in DIAG); null when the host link is off.</summary>
        public HostLinkServer HostLink
        {
            get { return _hostLink == null ? null : _hostLink.Server; }
        }

        /// <summary>The coin-op front end, when vending is "pulse" (a keypad offers prices through it).</summary>
        public PulseVending PulseVending
        {
            get { return _pulse; }
        }

        /// <summary>The MDB cashless device, when vending is "mdb".</summary>
        public MdbVending MdbVending
        {
            get { return _mdb; }
        }

        /// <summary>The scanner driver, or null without a scanner.</summary>
        public Gm65Scanner Scanner
        {
            get { return _scanner; }
        }

        /// <summary>The link to the gateway: heartbeat, remote settings, boot record.</summary>
        public FleetLink FleetLink
        {
            get { return _fleetLink; }
        }

        /// <summary>Over-the-air updates, or null when the platform gives no update ports.</summary>
        public Updater Updater
        {
            get { return _updater; }
        }

        /// <summary>The countertop front end (keypad, menu, receipts, sounds), or null when none of them is fitted.</summary>
        public CountertopFrontEnd Countertop
        {
            get { return _countertop; }
        }

        /// <summary>The keypad driver, or null without a keypad.</summary>
        public Keypad Keypad
        {
            get { return _keypad; }
        }

        /// <summary>The receipt printer, or null without one.</summary>
        public ReceiptPrinter Receipts
        {
            get { return _receipts; }
        }

        /// <summary>The buzzer's cues, or null without a buzzer.</summary>
        public SoundCues Sound
        {
            get { return _sound; }
        }

        /// <summary>The transaction desk, for front ends and subscribers added by the platform.</summary>
        public TransactionDesk Desk
        {
            get { return _desk; }
        }

        /// <summary>
        /// Boots: shows a start screen, loads the journal, sets up the scanner, announces itself on the host link
        /// and starts the desk's worker, which first finishes whatever a power cut left open (no sale before that).
        /// </summary>
        public void Start()
        {
            _screens.ShowProcessing("Starting...");
            _screens.Push();
            _fleetLink.Start();
            _desk.Open();
            if (_pinVault != null)
            {
                _pinVault.Load(_config.Menu.PinHashText, Mono());
            }

            CheckUpdateOnTrial();
            SendDeviceStatus("TERMINAL", "STARTED", "firmware " + FirmwareVersion + " device " + _config.Device.DeviceId);
            ConfigureScanner();
            if (_mdb != null)
            {
                _mdb.Start();
            }

            _desk.Start();
        }

        /// <summary>Runs the main loop until <see cref="Stop"/>.</summary>
        public void Run()
        {
            while (!Stopping)
            {
                RunOnce();
            }
        }

        /// <summary>
        /// One pass of the main loop: host-link requests (waiting at most LoopWaitMs for bytes), the jobs they
        /// queued, key presses, scanner input, then the display. Never throws: a fault is logged and the next pass
        /// starts afresh.
        /// </summary>
        public void RunOnce()
        {
            try
            {
                PollFrontEnds();
                _desk.ReleaseQueuedJob();
                HandleKeys();
                _desk.PollScanner();
                if (_countertop != null)
                {
                    _countertop.Poll(Mono());
                }

                _screens.Refresh(!_desk.IsBusy && (_countertop == null || !_countertop.HoldsScreen), NetworkUp);
                _screens.Push();
                if (_updater != null)
                {
                    RestartWhenDue();
                }
            }
            catch (Exception e)
            {
                _loopFaults++;
                Log(LogLevel.Error, "app: main loop fault " + e.GetType().Name + ": " + e.Message);
                Thread.Sleep(_settings.LoopWaitMs);
            }
        }

        /// <summary>
        /// Stops the desk's worker (a running sale is asked to abort) and waits for it; returns false when it did
        /// not end within StopWaitMs. <see cref="Run"/> returns after its current pass.
        /// </summary>
        public bool Stop()
        {
            Interlocked.Exchange(ref _stop, 1);
            bool stopped = _desk.Stop(_settings.StopWaitMs);
            if (stopped)
            {
                _fleetLink.Stopped();
            }

            return stopped;
        }

        /// <summary>The OK key: acknowledges the final screen (the main loop acts on it). Safe from any thread.</summary>
        public void PressOk()
        {
            Interlocked.Exchange(ref _okPressed, 1);
        }

        /// <summary>The cancel key: aborts the sale in progress, as ABORT does. Safe from any thread.</summary>
        public void PressCancel()
        {
            Interlocked.Exchange(ref _cancelPressed, 1);
        }

        /// <summary>The STATUS line: the desk's state word and details; an unacknowledged result when idle (docs/host-link.md).</summary>
        public string StatusText()
        {
            string status = _desk.Status();
            return status == TransactionDesk.IdleStatus && _screens.ResultShown ? status + " RESULT_SHOWN" : status;
        }

        /// <summary>The application version running: a bundle's once the loader runs one, else <see cref="Version"/>.</summary>
        public string FirmwareVersion
        {
            get { return _updater == null ? Version : _updater.Running; }
        }

        /// <summary>A version on trial first passes the self-test; a failure rolls it back and restarts at once.</summary>
        private void CheckUpdateOnTrial()
        {
            if (_updater == null || !_updater.SelfTestWanted)
            {
                return;
            }

            SelfTestReport report = SelfTest.RunAll(null);
            Log(report.Failed == 0 ? LogLevel.Info : LogLevel.Error, "app: version " + _updater.Running + " on trial, self-test " + report.Summary);
            _updater.SelfTestDone(report.Failed == 0, report.Summary);
        }

        /// <summary>The health rule's time; the idle restart into a staged version (or out of a rolled-back one).</summary>
        private void RestartWhenDue()
        {
            _updater.Check();
            // Idle: no transaction, and no merchant in the menu (the countertop holds the screen then).
            bool idle = _desk.Phase == DeskPhase.Idle && !_desk.IsBusy && (_countertop == null || !_countertop.HoldsScreen);
            if (!_updater.RestartDue(idle))
            {
                return;
            }

            Log(LogLevel.Info, "app: restarting for an update");
            Stop();
            _updater.Restart();
        }

        /// <summary>Remote settings were applied (worker thread): the one value read at start, the idle screen's name, follows.</summary>
        private void SettingsApplied()
        {
            _screens.SetIdleName(IdleName(_config));
        }

        private static string IdleName(TerminalConfig config)
        {
            return config.Display.DisplayName == null ? config.Device.DeviceId : config.Display.DisplayName;
        }

        private bool Stopping
        {
            get { return Interlocked.CompareExchange(ref _stop, 0, 0) != 0; }
        }

        private long Mono()
        {
            return _clock.MonotonicMs();
        }

        /// <summary>
        /// The front ends' input: the host link waits for bytes up to LoopWaitMs (the loop's pace), else the MDB
        /// bridge does, else the loop sleeps; the pulse front end only looks at the clock.
        /// </summary>
        private void PollFrontEnds()
        {
            int wait = _settings.LoopWaitMs;
            if (_hostLink != null)
            {
                _hostLink.Poll(wait);
                wait = 0;
            }

            if (_mdb != null)
            {
                _mdb.Poll(wait);
                wait = 0;
            }

            if (_pulse != null)
            {
                _pulse.Poll(_countertop != null && _countertop.HoldsScreen);
            }

            if (wait > 0)
            {
                Thread.Sleep(wait);
            }
        }

        private void SendDeviceStatus(string device, string state, string detail)
        {
            if (_hostLink != null)
            {
                _hostLink.Server.SendDeviceStatus(device, state, detail);
            }
        }

        private void HandleKeys()
        {
            if (Interlocked.Exchange(ref _okPressed, 0) != 0)
            {
                _screens.AcknowledgeByKey(_desk.Phase == DeskPhase.Scanning);
            }

            if (Interlocked.Exchange(ref _cancelPressed, 0) != 0)
            {
                string detail;
                _desk.Abort(out detail);
            }
        }

        private void ConfigureScanner()
        {
            if (_scanner == null)
            {
                SendDeviceStatus("SCANNER", "ABSENT", "No scanner fitted: customer-presented sales are refused");
                return;
            }

            try
            {
                ScannerStatus status = _scanner.Configure(ScannerMode.CommandTriggered);
                string word = status == ScannerStatus.Ready ? "READY" : status == ScannerStatus.NotResponding ? "NOT_RESPONDING" : "CONFIGURATION_FAILED";
                Log(status == ScannerStatus.Ready ? LogLevel.Info : LogLevel.Warning, "app: " + _scanner.StatusMessage);
                SendDeviceStatus("SCANNER", word, _scanner.StatusMessage);
            }
            catch (Exception e)
            {
                Log(LogLevel.Error, "app: scanner set-up failed: " + e.Message);
                SendDeviceStatus("SCANNER", "CONFIGURATION_FAILED", e.Message);
            }
        }

        /// <summary>DIAG: firmware, gateway, state, scanner, display, faults, updates, then the platform's lines.</summary>
        private string[] DiagnosticLines()
        {
            string scanner = _scanner == null ? "scanner absent" : "scanner " + _scanner.StatusMessage;
            string keypad = _keypad == null ? "keypad absent" : "keypad presses=" + _keypad.Presses + " read failures=" + _keypad.ReadFailures + " dropped=" + _keypad.Dropped;
            string printer = _receipts == null ? "printer absent" : _receipts.DiagnosticLine();
            string firmware = "firmware " + FirmwareVersion + " device " + _config.Device.DeviceId + " currency " + _config.Engine.Currency;
            string update = _updater == null ? "update off" : _updater.DiagnosticLine();
            string[] lines = new string[]
            {
                firmware,
                "gateway " + _config.Network.GatewayUrl,
                "state " + StatusText(),
                scanner,
                _screens.DiagnosticLine(),
                VendingLine(),
                keypad,
                printer,
                "faults main=" + _loopFaults + " worker=" + _desk.WorkerFaults + " link=" + _desk.LinkTaskFaults,
            };
            lines = Join(lines, new string[] { update });
            lines = Join(lines, _fleetLink.DiagnosticLines());
            DiagnosticsSource platform = PlatformDiagnostics;
            return Join(lines, platform == null ? null : platform());
        }

        private static string[] Join(string[] lines, string[] extra)
        {
            if (extra == null || extra.Length == 0)
            {
                return lines;
            }

            string[] all = new string[lines.Length + extra.Length];
            Array.Copy(lines, all, lines.Length);
            Array.Copy(extra, 0, all, lines.Length, extra.Length);
            return all;
        }

        private string VendingLine()
        {
            if (_pulse != null)
            {
                return "vending pulse value=" + _config.Vending.PulseValue + " price=" + _config.Vending.Price + " pulses sent=" + _pulse.PulsesSent;
            }

            if (_mdb != null)
            {
                return "vending mdb bridge=" + BridgeStateName(_mdb.Status) + " sent=" + _bridge.BytesSent + " received=" + _bridge.BytesReceived + " dropped=" + _bridge.DroppedLines;
            }

            return "vending off";
        }

        private static string BridgeStateName(BridgeEvent state)
        {
            switch (state)
            {
                case BridgeEvent.Inactive:
                    return "inactive";
                case BridgeEvent.Disabled:
                    return "disabled";
                case BridgeEvent.Enabled:
                    return "enabled";
                case BridgeEvent.SessionIdle:
                    return "session";
                case BridgeEvent.VendRequest:
                    return "vend";
                default:
                    return "offline";
            }
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }

        private static void CheckPort(object port, string name)
        {
            if (port == null)
            {
                throw new ArgumentNullException("ports." + name, "port " + name + " is required");
            }
        }

        /// <summary>Hands each published result to <see cref="ResultObserver"/>, between the screen and the register.</summary>
        private sealed class ObserverRelay : IResultSubscriber
        {
            public PaymentResultHandler Handler { get; set; }

            public void OnResult(DeskResult result)
            {
                PaymentResultHandler handler = Handler;
                if (handler != null)
                {
                    handler(result.Payment);
                }
            }
        }
    }
}
