using System;
using System.Threading;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Qr;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Config;
using Terminal.Firmware.Cpm;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Ports;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// The terminal: payment engine, screens, scanner and host link composed from <see cref="TerminalPorts"/>
    /// only, so that the ESP32 Program.Main and the PC simulator run the same thing:
    /// <code>
    /// TerminalApp app = new TerminalApp(config, ports, new TerminalAppSettings());
    /// app.Start();   // display, journal, scanner set-up, then boot recovery on the worker thread
    /// app.Run();     // main loop on the calling thread until Stop()
    /// </code>
    /// <para>
    /// Threads: one worker thread runs every payment-engine operation (boot recovery first, then one sale, refund
    /// or void at a time); the main loop (<see cref="RunOnce"/>) polls the host link and the scanner and refreshes
    /// the display. Each thread's top level catches, logs and carries on (docs/architecture.md section 5). The main loop
    /// allocates nothing while nothing happens; strings are made only when a request, a code or a result arrives.
    /// </para>
    /// <para>
    /// Rules: a new sale only when idle (else BUSY); final screens stay until acknowledged, by the OK key
    /// (<see cref="PressOk"/>) or by the register starting the next transaction; a customer-presented sale scans,
    /// validates (a web link or text is refused on screen) and only then goes to the engine.
    /// </para>
    /// </summary>
    public sealed partial class TerminalApp
    {
        /// <summary>Firmware version reported at boot, in DIAG and in the self-test.</summary>
        public const string Version = "1.0.0";

        // QR version 10 (57 modules) is the largest that fits 64 rows with a 2-module quiet zone at 1 pixel per module.
        private const int MaxQrVersion = 10;

        // Start of 2024 (Unix ms): a wall clock before it has not been set.
        private const long ClockValidAfterMs = 1704067200000L;

        private readonly TerminalConfig _config;
        private readonly TerminalAppSettings _settings;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly ISleeper _sleeper;
        private readonly PaymentEngine _engine;
        private readonly HostLinkServer _hostLink;
        private readonly Gm65Scanner _scanner;
        private readonly PaymentCodeValidator _validator = new PaymentCodeValidator();
        private readonly IDisplayDriver _display;
        private readonly Framebuffer _framebuffer = new Framebuffer();
        private readonly ScreenPainter _painter;
        private readonly QrEncoder _qrEncoder = new QrEncoder(MaxQrVersion);
        private readonly QrFit _qrFit;
        private readonly AutoResetEvent _jobSignal = new AutoResetEvent(false);
        private readonly SaleRequest _saleRequest = new SaleRequest();

        // Guards the phase, the job slot and the cached results. Order: _gate before _screenGate.
        private readonly object _gate = new object();

        // Guards the painter, the framebuffer and the display driver.
        private readonly object _screenGate = new object();

        private Thread _worker;
        private AppPhase _phase;
        private int _stop;
        private int _okPressed;
        private int _cancelPressed;
        private int _loopFaults;
        private int _workerFaults;

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
            CheckPort(ports.DisplayBus, "DisplayBus");
            CheckPort(ports.HostLinkPort, "HostLinkPort");

            _config = config;
            _settings = settings == null ? new TerminalAppSettings() : settings;
            _clock = ports.Clock;
            _log = ports.Log;
            _sleeper = ports.Sleeper;
            _engine = new PaymentEngine(config, ports.Http, ports.Mac, ports.Storage, ports.Clock, ports.Sleeper, ports.Random, ports.Log, new EngineEvents(this));
            _hostLink = new HostLinkServer(ports.HostLinkPort, new HostLinkHandler(this));
            if (ports.ScannerPort != null)
            {
                _scanner = new Gm65Scanner(ports.ScannerPort, new ScannerClock(Mono));
            }

            _display = config.Display == "sh1106" ? (IDisplayDriver)new Sh1106Driver(ports.DisplayBus) : new Ssd1306Driver(ports.DisplayBus);
            _painter = new ScreenPainter(_framebuffer);
            _qrFit = new QrFit(_qrEncoder);
            NetworkUp = true;
            _phase = AppPhase.Booting;
        }

        /// <summary>What the terminal is doing now.</summary>
        public AppPhase Phase
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _phase;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Set by the network binding (Wi-Fi up, address assigned); shown on the idle screen.</summary>
        public bool NetworkUp { get; set; }

        /// <summary>Told of every final result; see <see cref="PaymentResultHandler"/>.</summary>
        public PaymentResultHandler ResultObserver { get; set; }

        /// <summary>Adds the platform's lines to DIAG (e.g. free heap on the device); null for none.</summary>
        public DiagnosticsSource PlatformDiagnostics { get; set; }

        /// <summary>The screen in the framebuffer now.</summary>
        public ScreenKind Screen
        {
            get { return _painter.Current; }
        }

        /// <summary>Counts every new screen drawn (not countdown or spinner steps): a viewer redraws when it changes.</summary>
        public int ScreenVersion { get; private set; }

        /// <summary>The framebuffer (the display driver sends it to the OLED; a viewer may read it).</summary>
        public Framebuffer Framebuffer
        {
            get { return _framebuffer; }
        }

        /// <summary>The host link server (its counters appear in DIAG).</summary>
        public HostLinkServer HostLink
        {
            get { return _hostLink; }
        }

        /// <summary>The scanner driver, or null without a scanner.</summary>
        public Gm65Scanner Scanner
        {
            get { return _scanner; }
        }

        /// <summary>
        /// Boots: shows a start screen, loads the journal, sets up the scanner, announces itself on the host link
        /// and starts the worker thread, which first finishes whatever a power cut left open (no sale before that).
        /// </summary>
        public void Start()
        {
            ShowProcessing("Starting...");
            PushDisplay();
            try
            {
                if (!_engine.Open())
                {
                    Log(LogLevel.Warning, "app: journal empty or unreadable; starting with no transactions");
                }

                Monitor.Enter(_gate);
                try
                {
                    PaymentResult last = _engine.Last();
                    _lastResult = last == null ? null : ResultMapping.ToHostLink(last, null, 0, null);
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
            catch (Exception e)
            {
                Log(LogLevel.Error, "app: journal load failed: " + e.Message);
            }

            _hostLink.SendDeviceStatus("TERMINAL", "STARTED", "firmware " + Version + " device " + _config.DeviceId);
            ConfigureScanner();

            Monitor.Enter(_gate);
            try
            {
                _phase = AppPhase.Recovering;
                QueueJob(JobKind.Recover);
                _jobReleased = true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _worker = new Thread(WorkerMain);
            _worker.Start();
            _jobSignal.Set();
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
        /// One pass of the main loop: host-link requests (waiting at most LoopWaitMs for bytes), scanner input,
        /// key presses, then the display. Never throws: a fault is logged and the next pass starts afresh.
        /// </summary>
        public void RunOnce()
        {
            try
            {
                _hostLink.Poll(_settings.LoopWaitMs);
                ReleaseQueuedJob();
                HandleKeys();
                PollScanner();
                RefreshScreen();
                PushDisplay();
            }
            catch (Exception e)
            {
                _loopFaults++;
                Log(LogLevel.Error, "app: main loop fault " + e.GetType().Name + ": " + e.Message);
                Thread.Sleep(_settings.LoopWaitMs);
            }
        }

        /// <summary>
        /// Stops the worker (a running sale is asked to abort) and waits for it; returns false when it did not end
        /// within StopWaitMs. <see cref="Run"/> returns after its current pass.
        /// </summary>
        public bool Stop()
        {
            Interlocked.Exchange(ref _stop, 1);
            _engine.RequestAbort();
            _jobSignal.Set();
            _sleeper.Wake();
            bool ended = _worker == null || _worker.Join(_settings.StopWaitMs);
            Monitor.Enter(_gate);
            try
            {
                _phase = AppPhase.Stopped;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            return ended;
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

        /// <summary>The STATUS line: a state word, then details (docs/host-link.md).</summary>
        public string StatusText()
        {
            Monitor.Enter(_gate);
            try
            {
                switch (_phase)
                {
                    case AppPhase.Booting:
                        return "BOOTING";
                    case AppPhase.Recovering:
                        return "RECOVERING";
                    case AppPhase.Scanning:
                        return "SALE " + _jobReference + " SCANNING";
                    case AppPhase.Running:
                        return JobWord(_jobKind) + " " + _jobReference + " " + (_stage == null ? "PROCESSING" : _stage);
                    case AppPhase.Stopped:
                        return "STOPPED";
                    default:
                        return _painter.RequiresAcknowledge ? "IDLE RESULT_SHOWN" : "IDLE";
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private bool Stopping
        {
            get { return Interlocked.CompareExchange(ref _stop, 0, 0) != 0; }
        }

        private long Mono()
        {
            return _clock.MonotonicMs();
        }

        private void HandleKeys()
        {
            if (Interlocked.Exchange(ref _okPressed, 0) != 0)
            {
                AcknowledgeByKey();
            }

            if (Interlocked.Exchange(ref _cancelPressed, 0) != 0)
            {
                string detail;
                AbortCurrent(out detail);
            }
        }

        private void ConfigureScanner()
        {
            if (_scanner == null)
            {
                _hostLink.SendDeviceStatus("SCANNER", "ABSENT", "No scanner fitted: customer-presented sales are refused");
                return;
            }

            try
            {
                ScannerStatus status = _scanner.Configure(ScannerMode.CommandTriggered);
                string word = status == ScannerStatus.Ready ? "READY" : status == ScannerStatus.NotResponding ? "NOT_RESPONDING" : "CONFIGURATION_FAILED";
                Log(status == ScannerStatus.Ready ? LogLevel.Info : LogLevel.Warning, "app: " + _scanner.StatusMessage);
                _hostLink.SendDeviceStatus("SCANNER", word, _scanner.StatusMessage);
            }
            catch (Exception e)
            {
                Log(LogLevel.Error, "app: scanner set-up failed: " + e.Message);
                _hostLink.SendDeviceStatus("SCANNER", "CONFIGURATION_FAILED", e.Message);
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
    }
}
