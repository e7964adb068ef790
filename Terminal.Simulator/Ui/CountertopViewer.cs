using Terminal.Countertop.Sound;
using Terminal.Firmware.App;
using Terminal.SimulatedDevices.Printer;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Rendering;

namespace Terminal.Simulator.Ui;

/// <summary>
/// The countertop's outputs for the person at the simulator: each receipt the printer model finishes as text and as
/// a PNG rendered from the bytes the firmware sent (data/receipts/), and each buzzer cue as words (key clicks
/// left out).
/// </summary>
public sealed class CountertopViewer : IDisposable
{
    private readonly SimulatedTerminal _terminal;
    private readonly Output _output;
    private readonly string _folder;
    private readonly Thread _thread;
    private volatile bool _stop;
    private TerminalApp? _app;
    private int _played;
    private int _receipts;

    public CountertopViewer(SimulatedTerminal terminal, Output output, string dataFolder)
    {
        _terminal = terminal;
        _output = output;
        _folder = Path.Combine(dataFolder, "receipts");
        terminal.Printer.DocumentFinished = Printed;
        _thread = new Thread(Watch) { IsBackground = true, Name = "countertop viewer" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _terminal.Printer.DocumentFinished = null;
        _thread.Join(1000);
    }

    private void Printed(PrintedDocument receipt)
    {
        Directory.CreateDirectory(_folder);
        string png = Path.Combine(_folder, $"receipt-{Interlocked.Increment(ref _receipts):D3}.png");
        (int width, int height, bool[] dots) = EscPosPrinterModel.Render(receipt);
        File.WriteAllBytes(png, PngWriter.Encode(dots, width, height, scale: 1, border: 8));
        string text = receipt.ToText().TrimEnd('\n');
        string rule = new('=', EscPosPrinterModel.Columns);
        _output.Background($"  printer ({png}):\n  {rule}\n  " + text.Replace("\n", "\n  ") + $"\n  {rule}");
    }

    private void Watch()
    {
        while (!_stop)
        {
            Thread.Sleep(20);
            TerminalApp? app = _terminal.Rail.On ? _terminal.App : null;
            SoundCues? sound = app?.Sound;
            if (sound == null)
            {
                continue;
            }

            if (!ReferenceEquals(app, _app))
            {
                _app = app;
                _played = sound.Played;
            }

            int played = sound.Played;
            if (played != _played)
            {
                _played = played;
                if (sound.LastCue != SoundCues.CueKey)
                {
                    _output.Background("  buzzer: " + SoundCues.Describe(sound.LastCue));
                }
            }
        }
    }
}
