using System.Diagnostics;
using System.Text;
using Terminal.Benchmarks.Qr;
using Terminal.Drivers.Display.Ili9341;
using Terminal.Drivers.Display.St7789;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Ports;
using Terminal.Drivers.Qr;
using Terminal.Firmware.Screens;

namespace Terminal.Benchmarks.Display;

/// <summary>
/// `dotnet run -c Release --project Terminal.Benchmarks -- tft-traffic`: what the colour panels' refreshes cost on
/// SPI (transactions, bytes, wire time at 40 MHz), measured with a bus that counts every transfer of the real
/// drivers behind the real screen layer, against a full frame on the same panel; the managed heap the display
/// path holds; allocation and PC time per operation.
/// </summary>
internal static class TftTrafficReport
{
    private const double ClockMHz = 40;

    private static readonly (string Controller, int Width, int Height)[] Panels =
    [
        ("ST7789", 240, 240),
        ("ST7789", 240, 320),
        ("ILI9341", 320, 240),
    ];

    public static void Print()
    {
        byte[] orderCode = Encoding.ASCII.GetBytes(AntomUrls.Make(59, 1));
        Console.WriteLine($"Order code: {orderCode.Length} bytes. Wire time = bytes x 8 clocks / {ClockMHz} MHz (chip-select and D/CX gaps not counted).");
        Console.WriteLine();
        Console.WriteLine("| Panel | Operation | SPI writes | SPI bytes | Bytes ratio | Wire ms @40MHz | Pixels | Allocated (all ops) | Ops | PC us/op |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (controller, width, height) in Panels)
        {
            var panel = new Scenario(controller, width, height, orderCode);
            double full = 0;
            foreach (string operation in new[] { "Full frame", "QR screen", "Countdown tick", "Spinner step", "Result screen" })
            {
                int repeats = operation switch { "Countdown tick" => 600, "Spinner step" => 8, _ => 20 };
                var bus = panel.Bus;
                panel.Prepare(operation);
                for (int i = 0; i < 3; i++)
                {
                    panel.Run(operation); // warm-up: the first runs JIT-compile the paths
                }

                bus.Reset();
                var watch = new Stopwatch();
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                watch.Start();
                for (int i = 0; i < repeats; i++)
                {
                    panel.Run(operation);
                }

                watch.Stop();
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                double bytes = (double)bus.Bytes / repeats;
                if (operation == "Full frame")
                {
                    full = bytes;
                }

                Console.WriteLine(
                    $"| {controller} {width}x{height} | {operation} | {(double)bus.Writes / repeats:0.#} | {bytes:0} | {bytes / full:0.0000} | {bytes * 8 / (ClockMHz * 1000):0.000} | "
                    + $"{(double)bus.Pixels / repeats:0} | {allocated} | {repeats} | {watch.Elapsed.TotalMicroseconds / repeats:0} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Managed heap the colour display path holds (allocated by constructing driver, scene, painter and rendering; .NET x64 object layout):");
        foreach (var (controller, width, height) in Panels)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var rendering = new TftRendering(Driver(controller, new CountingSpiBus(), width, height));
            long held = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(rendering);
            Console.WriteLine($"- {controller} {width}x{height}: {held} bytes (band buffer {TftDriver.BandBytes})");
        }
    }

    private static TftDriver Driver(string controller, ISpiDisplayBus bus, int width, int height) =>
        controller == "ILI9341"
            ? new Ili9341Driver(bus, null!, _ => { }, width, height)
            : new St7789Driver(bus, null!, _ => { }, width, height);

    /// <summary>One panel behind the screen model and rendering, on a counting bus.</summary>
    private sealed class Scenario
    {
        private readonly ScreenModel _model = new();
        private readonly TftRendering _rendering;
        private readonly QrCode _code;
        private int _seconds = 300;

        public Scenario(string controller, int width, int height, byte[] orderCode)
        {
            _rendering = new TftRendering(Driver(controller, Bus, width, height));
            var encoder = new QrEncoder(10);
            var fit = new QrFit(encoder);
            if (!fit.TryFit(orderCode, 0, orderCode.Length, _rendering.QrAreaSize, _rendering.QrAreaSize, _rendering.QrQuietModules)
                || !encoder.TryEncode(orderCode, 0, orderCode.Length, fit.ErrorCorrection, fit.Version, fit.Version, -1, false, out _code))
            {
                throw new InvalidOperationException("the order code does not fit " + width + "x" + height);
            }
        }

        public CountingSpiBus Bus { get; } = new();

        /// <summary>The screen each operation starts from, sent.</summary>
        public void Prepare(string operation)
        {
            switch (operation)
            {
                case "Spinner step":
                    Show(_model.ShowProcessing("Waiting for the customer"));
                    break;
                case "QR screen":
                    Show(_model.ShowAmountConfirm("12.50", "EUR"));
                    break;
                default:
                    Show(_model.ShowQr(_code, "12.50 EUR", _seconds));
                    break;
            }

            Push();
        }

        public void Run(string operation)
        {
            switch (operation)
            {
                case "Full frame":
                    _rendering.Scene.MarkAllDirty();
                    break;
                case "QR screen":
                    // From the confirmation to the order code, as the terminal goes; the way back is not counted.
                    Bus.Pause();
                    Show(_model.ShowAmountConfirm("12.50", "EUR"));
                    Push();
                    Bus.Resume();
                    Show(_model.ShowQr(_code, "12.50 EUR", 300));
                    break;
                case "Countdown tick":
                    // Cycling through 10 minutes, so every digit pattern occurs.
                    _seconds = _seconds == 0 ? 599 : _seconds - 1;
                    _model.UpdateCountdown(_seconds);
                    _rendering.RenderCountdown(_model);
                    break;
                case "Spinner step":
                    _model.Tick();
                    _rendering.RenderSpinner(_model);
                    break;
                default:
                    // From the order code to the result, as the terminal goes.
                    Bus.Pause();
                    _model.Acknowledge(); // the previous run's result
                    Show(_model.ShowQr(_code, "12.50 EUR", 300));
                    Push();
                    Bus.Resume();
                    Show(_model.ShowResult(ResultKind.Success, "12.50 EUR", null));
                    break;
            }

            Push();
        }

        private void Show(bool changed)
        {
            if (changed)
            {
                _rendering.Render(_model);
            }
        }

        private void Push()
        {
            if (!_rendering.Push())
            {
                throw new InvalidOperationException(_rendering.LastError);
            }
        }
    }

    /// <summary>An SPI port that takes everything and counts what the operation under measurement sends.</summary>
    private sealed class CountingSpiBus : ISpiDisplayBus
    {
        private bool _paused;
        private bool _pixels;

        public long Writes { get; private set; }

        public long Bytes { get; private set; }

        public long Pixels { get; private set; }

        public void Reset()
        {
            Writes = 0;
            Bytes = 0;
            Pixels = 0;
        }

        /// <summary>Stops counting (the set-up part of an operation) until <see cref="Resume"/>.</summary>
        public void Pause() => _paused = true;

        public void Resume() => _paused = false;

        public bool Write(byte[] buffer, int offset, int count, bool data)
        {
            if (!data)
            {
                _pixels = buffer[offset] == 0x2C; // RAMWR: the data that follows is pixels
            }

            if (!_paused)
            {
                Writes++;
                Bytes += count;
                Pixels += data && _pixels ? count / 2 : 0;
            }

            return true;
        }
    }
}
