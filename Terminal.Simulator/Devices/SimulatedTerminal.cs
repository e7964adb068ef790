using Terminal.Core.Ports;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Pin;
using Terminal.Countertop.Receipts;
using Terminal.Drivers.Ports;
using Terminal.Firmware.App;
using Terminal.Firmware.Config;
using Terminal.Firmware.Screens;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.SimulatedDevices.Buzzer;
using Terminal.SimulatedDevices.Display;
using Terminal.SimulatedDevices.Keypad;
using Terminal.SimulatedDevices.Printer;
using Terminal.SimulatedDevices.Scanner;
using Terminal.Simulator.Hardware;
using Terminal.Simulator.Register;
using Terminal.Simulator.Rendering;
using Terminal.Transactions;

using Terminal.Loader.Boot;
using Terminal.Updates;

namespace Terminal.Simulator.Devices;

/// <summary>What a <see cref="SimulatedTerminal"/> is plugged into.</summary>
public sealed class TerminalWiring
{
    /// <summary>The parsed terminal.json.</summary>
    public required TerminalConfig Config { get; init; }

    /// <summary>Folder of the terminal's flash (its journal); kept across reboots.</summary>
    public required string StorageFolder { get; init; }

    /// <summary>Folder of the over-the-air updates (boot record, staged versions); null: the terminal takes no updates.</summary>
    public string? UpdatesFolder { get; init; }

    /// <summary>The link to the gateway.</summary>
    public required IHttpExchange Http { get; init; }

    public required IClock Clock { get; init; }

    /// <summary>The firmware log (a file, the console, or both).</summary>
    public required ILog Log { get; init; }

    /// <summary>A real scanner (System.IO.Ports); null = the virtual GM65.</summary>
    public ISerialPort? ScannerPort { get; init; }

    /// <summary>A real register's line; null = the simulator's own register on an in-memory cable.</summary>
    public ISerialPort? HostLinkPort { get; init; }

    public TerminalAppSettings Settings { get; init; } = new();

    /// <summary>Where the vending machine's events go (<c>--vending</c>); the log when null.</summary>
    public Action<string>? MachineEvents { get; init; }
}

/// <summary>
/// The device: the firmware's <see cref="TerminalApp"/> with PC bindings only (docs/architecture.md section 4: bindings hold
/// no payment logic). The display is an <see cref="OledModel"/> on the I2C port or a <see cref="TftModel"/> on SPI, the scanner a <see cref="Gm65Model"/>
/// (or a real one), the host link an in-memory cable to a <see cref="HostLinkClient"/> (or a real port), storage a
/// folder, time the simulation's clock. It is a standalone countertop as well: a 4x4 keypad on a PCF8574 model
/// (<see cref="Keypad"/>), an ESC/POS printer model (<see cref="Printer"/>) and a piezo model (<see cref="Piezo"/>),
/// the menu PIN <see cref="DefaultMenuPin"/> unless terminal.json sets one. Every port runs through a
/// <see cref="PowerRail"/>, so the device can lose power in the middle of anything and boot again from what its
/// storage kept.
/// </summary>
public sealed class SimulatedTerminal : IDisposable
{
    private readonly TerminalWiring _wiring;
    private readonly SerialPipe? _scannerCable;
    private readonly SerialPipe? _hostCable;
    private readonly SerialPipe _printerCable = new();
    private readonly List<PowerRail> _pastRails = new();

    /// <summary>Held by a boot and a cut from start to end: the firmware's own restart boots on another thread, and a
    /// cut that came in between would stop an instance half booted (its main loop not yet started).</summary>
    private readonly object _power = new();
    private Thread? _mainLoop;

    /// <summary>The merchant menu's PIN on a simulated terminal whose terminal.json sets none.</summary>
    public const string DefaultMenuPin = "1234";

    /// <summary>
    /// The simulated piezo's pin (any free output; the ESP32 binding drives it with LEDC PWM): GPIO25 as the
    /// hardware guide wires it, GPIO32 in a coin-op machine, whose pulse output has GPIO25.
    /// </summary>
    public const int BuzzerPin = 25;

    /// <summary>The longest <see cref="Type"/> waits for the firmware to read one key down, then up (a loaded PC).</summary>
    public const int KeyWaitMs = 10000;

    private const int BuzzerPinBesidePulses = 32;

    public SimulatedTerminal(TerminalWiring wiring)
    {
        _wiring = wiring;
        Http = new TimedHttp(wiring.Http);
        // The models are strict: what a real controller would reject is logged as the driver bug it is.
        DisplaySection display = wiring.Config.Display;
        if (display.IsTft)
        {
            Tft = display.Controller == DisplaySection.Ili9341 ? new Ili9341Model() : new St7789Model(Math.Max(display.Width, display.Height));
            Tft.ProtocolErrorSeen = problem => wiring.Log.Write(LogLevel.Error, "simulated TFT refused a write: " + problem);
        }
        else
        {
            Oled = display.Controller == DisplaySection.Sh1106 ? new Sh1106Model() : new Ssd1306Model();
            Oled.ProtocolErrorSeen = problem => wiring.Log.Write(LogLevel.Error, "simulated OLED refused a write: " + problem);
        }

        if (wiring.ScannerPort == null)
        {
            _scannerCable = new SerialPipe();
            Scanner = new Gm65Model(_scannerCable.B.Read, _scannerCable.B.Write);
            Scanner.ProtocolErrorSeen = problem => wiring.Log.Write(LogLevel.Error, "simulated GM65 refused a command: " + problem);
            Scanner.StartThread();
        }

        Machine = SimulatedMachine.For(wiring.Config, wiring.Log, wiring.MachineEvents ?? (what => wiring.Log.Write(LogLevel.Info, what)));
        if (wiring.HostLinkPort == null && wiring.Config.HostLink.Enabled)
        {
            _hostCable = new SerialPipe();
            Register = new HostLinkClient(_hostCable.B);
        }

        FitCountertop(wiring.Config);
        Keypad = wiring.Config.Keypad.Layout == KeypadSection.Layout3x4 ? Pcf8574KeypadModel.ThreeByFour() : Pcf8574KeypadModel.FourByFour();
        Keypad.BounceMs = 5;
        Printer = new EscPosPrinterModel(_printerCable.B.Read, _printerCable.B.Write);
        Printer.ProtocolErrorSeen = problem => wiring.Log.Write(LogLevel.Error, "simulated printer refused a command: " + problem);
        Printer.StartThread();
    }

    /// <summary>The keypad's contacts (press and release keys here).</summary>
    public Pcf8574KeypadModel Keypad { get; }

    /// <summary>The receipt printer: what it printed, and paper or power to take away.</summary>
    public EscPosPrinterModel Printer { get; }

    /// <summary>The buzzer: the tones it played.</summary>
    public PiezoModel Piezo { get; } = new();

    /// <summary>The running instance's supply (a new one at every boot).</summary>
    public PowerRail Rail { get; private set; } = new();

    /// <summary>Firmware instances that still called a port after the next one had booted: on a shared supply they would
    /// have acted beside it.</summary>
    public int OutlivedCuts
    {
        get
        {
            lock (_pastRails)
            {
                return _pastRails.Count(r => r.UsedAfterNextBoot);
            }
        }
    }

    /// <summary>Hears every write to the update folders (a Create with the file's name, a Write with null) before it
    /// happens, on the firmware's thread: the OTA chaos run cuts the power at a chosen one.</summary>
    public Action<string?>? UpdateWriting { get; set; }

    /// <summary>The link to the gateway, timed (figures: the terminal's own share of a vend's answer time).</summary>
    public TimedHttp Http { get; }

    /// <summary>The OLED's controller (SSD1306 or SH1106 as terminal.json says), strict about what the driver sends; null with a TFT.</summary>
    public OledModel? Oled { get; }

    /// <summary>The colour TFT's controller (ST7789 or ILI9341 as terminal.json says); null with an OLED.</summary>
    public TftModel? Tft { get; }

    /// <summary>What the display shows now, <c>[y * width + x]</c> in RGB565 (the OLED's lit pixels white), with its size.</summary>
    public int[] DisplayPicture(out int width, out int height)
    {
        if (Tft != null)
        {
            width = Config.Display.Width;
            height = Config.Display.Height;
            return Tft.Picture(width, height);
        }

        width = OledPicture.Width;
        height = OledPicture.Height;
        return Oled!.Snapshot().Select(lit => lit ? 0xFFFF : 0).ToArray();
    }

    /// <summary>The simulated scanner module; null with a real scanner.</summary>
    public Gm65Model? Scanner { get; }

    /// <summary>The machine the terminal is built into (<c>--vending</c>); null otherwise.</summary>
    public SimulatedMachine? Machine { get; }

    /// <summary>The simulator's register; null with a real register on a serial port, or with the host link off.</summary>
    public HostLinkClient? Register { get; }

    /// <summary>The running firmware instance (a new one after every reboot).</summary>
    public TerminalApp App { get; private set; } = null!;

    public TerminalConfig Config => _wiring.Config;

    /// <summary>Boots since construction (1 after the first boot).</summary>
    public int Boots { get; private set; }

    /// <summary>Told of every result the powered firmware reports (never of anything after a cut).</summary>
    public PaymentResultHandler? ResultObserver { get; set; }

    /// <summary>Switches on and boots the firmware; the main loop runs on its own thread. Refused while a firmware
    /// instance runs: a second one would share its devices and storage (<see cref="Reboot"/> cuts the power first).</summary>
    public void Boot()
    {
        lock (_power)
        {
            BootLocked();
        }
    }

    private void BootLocked()
    {
        if (Rail.On && _mainLoop is { IsAlive: true })
        {
            throw new InvalidOperationException("the terminal's firmware is already running: cut the power first (Reboot)");
        }

        if (Boots > 0)
        {
            lock (_pastRails)
            {
                Rail.Supersede();
                _pastRails.Add(Rail);
            }

            Rail = new PowerRail();
        }

        PowerRail rail = Rail;
        _hostCable?.A.Clear();
        var sleeper = new ThreadSleeper();
        ISerialPort? hostLink = _wiring.HostLinkPort ?? _hostCable?.A;
        var ports = new TerminalPorts
        {
            Http = new PoweredHttp(Http, rail),
            Mac = new HmacSha256Mac(_wiring.Config.Device.Key),
            // Opened afresh at every boot: it finishes or undoes a replace the power cut interrupted.
            Storage = new PoweredStorage(new FolderStorage(_wiring.StorageFolder), rail),
            Clock = _wiring.Clock,
            Sleeper = new PoweredSleeper(sleeper, rail),
            Random = new CryptoRandom(),
            Log = new PoweredLog(_wiring.Log, rail),
            DisplayBus = Oled == null ? null : new PoweredI2cBus(Oled, rail),
            DisplaySpi = Tft == null ? null : new PoweredSpiBus(Tft, rail),
            ScannerPort = new PoweredSerialPort(_wiring.ScannerPort ?? _scannerCable!.A, rail),
            HostLinkPort = hostLink == null ? null : new PoweredSerialPort(hostLink, rail),
            PulseLine = Machine?.PulseLine is { } pulses ? new PoweredDigitalOutput(pulses, rail) : null,
            MdbBridgePort = Machine?.BridgePort is { } bridge ? new PoweredSerialPort(bridge, rail) : null,
            KeypadBus = new PoweredExpanderBus(Keypad, rail),
            PrinterPort = new PoweredSerialPort(_printerCable.A, rail),
            Buzzer = new PoweredTone(Piezo, rail),
        };
        if (_wiring.UpdatesFolder != null)
        {
            ports.Updates = DiskUpdatePorts.Create(_wiring.UpdatesFolder, new AppRestart(this, rail), folder => new PoweredFolder(folder, rail, file => UpdateWriting?.Invoke(file)));

            // What the flashed loader does at power-on: choose the version and count a trial's boot.
            new BootSelector(ports.Updates.BootFolder).ChooseAtBoot();
        }

        App = new TerminalApp(_wiring.Config, ports, _wiring.Settings)
        {
            ResultObserver = r =>
            {
                if (rail.On)
                {
                    ResultObserver?.Invoke(r);
                }
            },
        };
        Boots++;
        App.Start();
        TerminalApp app = App;
        _mainLoop = new Thread(app.Run) { IsBackground = true, Name = "firmware main loop" };
        _mainLoop.Start();
    }

    /// <summary>
    /// Cuts the power: every port dies at once, whatever the firmware was doing; its threads are then stopped.
    /// Storage keeps what was written before the cut.
    /// </summary>
    public void PowerCut()
    {
        lock (_power)
        {
            Rail.Cut();
            Machine?.TerminalPowerCut();
            App.Stop();
            _mainLoop?.Join(5000);
        }
    }

    /// <summary>The firmware's restart (an update staged or rolled back): called on its main loop after the app stopped;
    /// a new firmware instance boots once that loop has ended.</summary>
    private sealed class AppRestart(SimulatedTerminal terminal, PowerRail rail) : IPlatformRestart
    {
        public void Restart()
        {
            Thread? loop = terminal._mainLoop;
            new Thread(() =>
            {
                loop?.Join(10000);
                lock (terminal._power)
                {
                    // A power cut since (and the boot after it) took the restart's place.
                    if (terminal.Rail == rail && rail.On)
                    {
                        terminal.BootLocked();
                    }
                }
            }) { IsBackground = true, Name = "firmware restart" }.Start();
        }
    }

    /// <summary>Power back on: a new firmware instance boots from storage (and first recovers what was open).</summary>
    public void Reboot()
    {
        if (Rail.On)
        {
            PowerCut();
        }

        Boot();
    }

    /// <summary>
    /// Presses each key until the firmware has read it (at least 60 ms, a brisk cashier), then releases it for at
    /// least 40 ms and until the firmware's debouncing has seen it open: a release the firmware never took in makes
    /// the next press of the same key one long press, and that digit is lost. A loaded machine may starve the main
    /// loop for seconds, so each wait allows up to <see cref="KeyWaitMs"/>.
    /// </summary>
    public void Type(string keys)
    {
        foreach (char key in keys)
        {
            if (Keypad.Keys.IndexOf(key) < 0)
            {
                throw new ArgumentException($"the keypad has no key '{key}' (its keys: {Keypad.Keys})");
            }
        }

        foreach (char key in keys)
        {
            var keypad = App.Keypad;
            int before = keypad == null ? 0 : keypad.Presses + keypad.Dropped;
            Keypad.Press(key);
            Thread.Sleep(60);
            SpinWait.SpinUntil(() => keypad == null || !Rail.On || keypad.Presses + keypad.Dropped > before, KeyWaitMs);
            Keypad.Release(key);
            Thread.Sleep(40);
            int reads = Keypad.Reads;
            SpinWait.SpinUntil(() => !Rail.On || (keypad == null ? Keypad.Reads >= reads + 2 : !keypad.AnyDown), KeyWaitMs);
        }
    }

    /// <summary>Waits until the firmware is idle (boot recovery done, no transaction); false on timeout.</summary>
    public bool WaitIdle(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (App.Phase != DeskPhase.Idle)
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    /// <summary>Waits until the display shows what the firmware last drew (the main loop pushed it).</summary>
    public void WaitDisplaySettled(int timeoutMs = 2000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (App.DisplayPending && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(2);
        }
    }

    public void Dispose()
    {
        // Switching the simulator off is a power cut: an open sale is finished by recovery at the next start.
        if (Rail.On && App != null)
        {
            PowerCut();
        }

        Register?.Dispose();
        Scanner?.Dispose();
        Machine?.Dispose();
        Printer.Dispose();
    }

    /// <summary>The simulated device has the countertop's parts fitted, and a menu PIN when terminal.json sets none.</summary>
    private static void FitCountertop(TerminalConfig config)
    {
        config.Keypad.Keypad = KeypadSection.Pcf8574;
        config.Printer.Printer = PrinterSection.EscPos;
        if (config.Buzzer.Pin < 0)
        {
            config.Buzzer.Pin = config.Vending.IsPulse && config.Vending.PulsePin == BuzzerPin ? BuzzerPinBesidePulses : BuzzerPin;
        }

        if (string.IsNullOrEmpty(config.Menu.PinHashText))
        {
            byte[] salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(PinHash.SaltSize);
            byte[] hash = new byte[PinHash.HashSize];
            PinHash.Derive(new HmacSha256Mac(config.Device.Key), DefaultMenuPin, salt, PinVault.NewPinIterations, hash);
            config.Menu.PinHashText = PinHash.Format(PinVault.NewPinIterations, salt, hash);
        }
    }
}
