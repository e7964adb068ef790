using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Firmware.Screens;

namespace Terminal.Benchmarks.Display;

/// <summary>
/// One controller with the QR screen or the processing screen up, ready to repeat a full-frame refresh,
/// a countdown tick or a spinner step. Shared by the timed benchmarks and the traffic columns.
/// </summary>
internal sealed class DisplayScenario
{
    public const string Ssd1306 = "SSD1306";
    public const string Sh1106 = "SH1106";

    private readonly Framebuffer _fb = new();
    private readonly ScreenPainter _screens;
    private readonly IDisplayDriver _driver;
    private int _seconds = 300;

    public DisplayScenario(string controller, string workload)
    {
        Bus = new CountingI2cBus();
        _driver = controller == Sh1106 ? new Sh1106Driver(Bus) : new Ssd1306Driver(Bus);
        _screens = new ScreenPainter(_fb);
        if (workload == nameof(DisplayUpdateBenchmarks.SpinnerStep))
        {
            _screens.ShowProcessing("Waiting for the customer to confirm");
        }
        else
        {
            _screens.ShowQr(new BenchmarkMatrix(25), "12.50", _seconds);
        }

        _driver.Update(_fb);
        Bus.Reset();
    }

    public CountingI2cBus Bus { get; }

    public bool FullFrame()
    {
        _fb.MarkAllDirty();
        return _driver.Update(_fb);
    }

    /// <summary>One second of the QR countdown, cycling through 10 minutes so every digit pattern occurs.</summary>
    public bool CountdownTick()
    {
        _seconds = _seconds == 0 ? 599 : _seconds - 1;
        _screens.UpdateCountdown(_seconds);
        return _driver.Update(_fb);
    }

    public bool SpinnerStep()
    {
        _screens.Tick();
        return _driver.Update(_fb);
    }

    public bool Run(string workload) => workload switch
    {
        nameof(DisplayUpdateBenchmarks.FullFrame) => FullFrame(),
        nameof(DisplayUpdateBenchmarks.CountdownTick) => CountdownTick(),
        _ => SpinnerStep(),
    };

    /// <summary>Average traffic of one operation over a whole cycle (600 ticks, 8 spinner steps).</summary>
    public static (double Writes, double Payload, double Wire) Traffic(string controller, string workload)
    {
        var scenario = new DisplayScenario(controller, workload);
        int repeats = workload switch
        {
            nameof(DisplayUpdateBenchmarks.CountdownTick) => 600,
            nameof(DisplayUpdateBenchmarks.SpinnerStep) => 8,
            _ => 1,
        };
        for (int i = 0; i < repeats; i++)
        {
            scenario.Run(workload);
        }

        CountingI2cBus bus = scenario.Bus;
        return ((double)bus.Writes / repeats, (double)bus.PayloadBytes / repeats, (double)bus.WireBytes / repeats);
    }

    /// <summary>A fixed pseudo-random 25-module symbol (version 2 size); the encoder is not needed here.</summary>
    private sealed class BenchmarkMatrix : IModuleMatrix
    {
        public BenchmarkMatrix(int size) => Size = size;

        public int Size { get; }

        public bool IsDark(int x, int y) => ((x * 7919 + y * 104729) ^ (x * y)) % 3 == 0;
    }
}
