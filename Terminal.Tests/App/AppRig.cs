using System.Collections.Concurrent;
using Terminal.Core.Ports;
using Terminal.Firmware.App;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.SimulatedDevices.Buzzer;
using Terminal.SimulatedDevices.Display;
using Terminal.SimulatedDevices.Keypad;
using Terminal.SimulatedDevices.Printer;
using Terminal.SimulatedDevices.Scanner;
using Terminal.Simulator.Hardware;
using Terminal.Simulator.Register;
using Terminal.Tests.DeviceLink;
using Terminal.Tests.Display;
using Terminal.Tests.Engine;
using Terminal.Tests.Keypad;
using Terminal.Tests.Sound;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.App;

/// <summary>
/// A <see cref="TerminalApp"/> built from in-memory ports only: the in-memory Antom of the engine tests (HS256
/// checked), memory storage, the PC clock and sleeper with short poll intervals, an SSD1306 model on the I2C port, a
/// GM65 model behind an in-memory serial cable, and a register on the host-link cable; with <c>countertop</c>, a
/// PCF8574 keypad model, an ESC/POS printer model on its own cable and a piezo model as well (menu PIN
/// <see cref="MenuPin"/>). The main loop runs on its own thread, as on the device.
/// </summary>
internal sealed class AppRig : IDisposable
{
    public const int WaitMs = 60000;
    public const string GoodCode = "281010897274821897274821";
    public const string MenuPin = "2468";

    private Thread? _mainLoop;

    public AppRig(Action<TerminalConfig>? configure = null, MemoryStorage? storage = null, FakeAntom? server = null, bool scanner = true, bool countertop = false, Action<TerminalPorts>? wire = null)
    {
        Config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", KeepTransactions = 8, PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = new[] { 10, 10, 10 } },
            Display = { DisplayName = "Test till" },
        };
        if (countertop)
        {
            Config.Keypad.Keypad = "pcf8574";
            Config.Printer.Printer = "escpos";
            Config.Menu.PinHashText = Countertop.PinTests.Configured(MenuPin);
            Config.Merchant.MerchantName = "Corner Cafe";
        }

        configure?.Invoke(Config);
        Clock = new SystemClock();
        Storage = storage ?? new MemoryStorage();
        Server = server ?? new FakeAntom(EngineRig.Key, EngineRig.DeviceId, Clock) { OrderLifetimeMs = 3000 };
        Fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        Oled = new Ssd1306Model();
        ScannerCable = new SerialPipe();
        Module = new Gm65Model(ScannerCable.B.Read, ScannerCable.B.Write);
        Module.StartThread();
        HostCable = new SerialPipe();
        Register = new HostLinkClient(HostCable.B);
        Register.LineReceived = line => Lines.Enqueue(line.Text);
        Sleeper = new ThreadSleeper();
        Ports = new TerminalPorts
        {
            Http = new RoutedExchange(Server, Fleet),
            Mac = new PortableMac(EngineRig.Key),
            Storage = Storage,
            Clock = Clock,
            Sleeper = Sleeper,
            Random = new FakeRandom(),
            Log = Log,
            DisplayBus = new ModelBus(Oled),
            ScannerPort = scanner ? ScannerCable.A : null,
            HostLinkPort = HostCable.A,
        };
        if (countertop)
        {
            Keys = Pcf8574KeypadModel.FourByFour();
            PrinterCable = new SerialPipe();
            Printer = new EscPosPrinterModel(PrinterCable.B.Read, PrinterCable.B.Write);
            Printer.StartThread();
            Piezo = new PiezoModel();
            Ports.KeypadBus = new ModelExpanderBus(Keys);
            Ports.PrinterPort = PrinterCable.A;
            Ports.Buzzer = new ModelTone(Piezo);
        }

        wire?.Invoke(Ports);
        App = new TerminalApp(Config, Ports, new TerminalAppSettings { LoopWaitMs = 5, ScanTimeoutMs = 60000 });
        App.ResultObserver = r => Results.Enqueue(r);
    }

    public TerminalConfig Config { get; }
    public SystemClock Clock { get; }
    public MemoryStorage Storage { get; }
    public FakeAntom Server { get; }

    /// <summary>Where the heartbeats go (the Antom paths go to <see cref="Server"/>).</summary>
    public FakeFleetGateway Fleet { get; }
    public Ssd1306Model Oled { get; }
    public SerialPipe ScannerCable { get; }
    public Gm65Model Module { get; }
    public SerialPipe HostCable { get; }
    public HostLinkClient Register { get; }
    public ThreadSleeper Sleeper { get; }
    public TerminalPorts Ports { get; }
    public TerminalApp App { get; }
    public ConcurrentLog Log { get; } = new();
    public Pcf8574KeypadModel? Keys { get; }
    public SerialPipe? PrinterCable { get; }
    public EscPosPrinterModel? Printer { get; }
    public PiezoModel? Piezo { get; }
    public ConcurrentQueue<string> Lines { get; } = new();
    public ConcurrentQueue<PaymentResult> Results { get; } = new();

    /// <summary>Boots the app and runs its main loop on a thread; waits until boot recovery is over.</summary>
    public AppRig Start(bool waitForIdle = true)
    {
        App.Start();
        _mainLoop = new Thread(App.Run) { IsBackground = true, Name = "app main loop" };
        _mainLoop.Start();
        if (waitForIdle)
        {
            WaitUntil(() => App.Phase == DeskPhase.Idle, "the app to finish booting");
        }

        return this;
    }

    public HostLinkReply Request(string request) => Register.Request(request, WaitMs);

    public HostLinkLine Event(string name, Func<HostLinkLine, bool>? match = null)
    {
        HostLinkLine? line = Register.WaitForEvent(l => l.Name == name && (match == null || match(l)), WaitMs);
        Assert.True(line != null, $"no {name} event; lines seen:\n{string.Join("\n", Lines)}\nlog:\n{string.Join("\n", Log.Lines)}");
        return line!;
    }

    public HostLinkResultLine Result(string? reference = null)
    {
        HostLinkLine line = Event("RESULT", l => reference == null || l.Word(3) == reference);
        return HostLinkResultLine.From(line, 2);
    }

    public void WaitUntil(Func<bool> condition, string what)
    {
        long deadline = Environment.TickCount64 + WaitMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}; lines:\n{string.Join("\n", Lines)}\nlog:\n{string.Join("\n", Log.Lines)}");
            Thread.Sleep(2);
        }
    }

    /// <summary>
    /// Presses each key on the keypad model until the firmware has taken it, then releases it until the firmware has
    /// read the contacts open for longer than the debounce time: a cashier who never goes faster than the terminal.
    /// </summary>
    public void Type(string keys)
    {
        foreach (char key in keys)
        {
            int presses = App.Keypad!.Presses + App.Keypad.Dropped;
            Keys!.Press(key);
            WaitUntil(() => App.Keypad.Presses + App.Keypad.Dropped > presses, $"key {key} to be read");
            Keys.Release(key);
            WaitUntil(() => !App.Keypad.AnyDown, $"key {key} to be read released");
        }
    }

    public void Dispose()
    {
        App.Stop();
        _mainLoop?.Join(WaitMs);
        Printer?.Dispose();
        Register.Dispose();
        Module.Dispose();
        Sleeper.Dispose();
    }
}

/// <summary>A log both app threads may write to.</summary>
internal sealed class ConcurrentLog : ILog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public void Write(LogLevel level, string message) => _lines.Enqueue(level + " " + message);
}
