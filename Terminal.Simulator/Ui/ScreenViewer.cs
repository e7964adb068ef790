using Terminal.Firmware.App;
using Terminal.Firmware.Screens;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Rendering;

namespace Terminal.Simulator.Ui;

/// <summary>
/// Prints the display (the OLED in blocks, a colour TFT in ANSI colours) whenever the firmware draws a new screen (not on countdown or spinner steps), once the main loop
/// has sent it to the virtual display, with a status line (the STATUS the register would get) and a hint.
/// </summary>
public sealed class ScreenViewer : IDisposable
{
    private readonly SimulatedTerminal _terminal;
    private readonly Output _output;
    private readonly PictureStyle _style;
    private readonly bool _wallet;
    private readonly Thread _thread;
    private volatile bool _stop;
    private TerminalApp? _app;
    private int _version = -1;

    public ScreenViewer(SimulatedTerminal terminal, Output output, PictureStyle style, bool wallet)
    {
        _terminal = terminal;
        _output = output;
        _style = style;
        _wallet = wallet;
        _thread = new Thread(Watch) { IsBackground = true, Name = "screen viewer" };
        _thread.Start();
    }

    /// <summary>Screens printed so far.</summary>
    public int Printed { get; private set; }

    /// <summary>The display's picture now, with the status line and a hint.</summary>
    public static string Describe(SimulatedTerminal terminal, PictureStyle style, bool wallet)
    {
        terminal.WaitDisplaySettled();
        TerminalApp app = terminal.App;
        string picture = terminal.Oled != null ? OledPicture.Render(terminal.Oled.Snapshot(), style) : ColourPicture.Render(terminal.DisplayPicture(out int width, out int height), width, height);
        string hint = app.Screen == ScreenKind.Idle && terminal.Machine != null
            ? Hints.ForVendingIdle(terminal.Machine.Controller != null)
            : Hints.ForScreen(app.Screen, app.Phase, wallet);
        return picture + "[" + app.StatusText() + "] " + hint;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(1000);
    }

    private void Watch()
    {
        while (!_stop)
        {
            Thread.Sleep(15);
            if (!_terminal.Rail.On)
            {
                continue;
            }

            TerminalApp app = _terminal.App;
            if (app == null)
            {
                continue;
            }

            if (!ReferenceEquals(app, _app))
            {
                _app = app;
                _version = -1;
            }

            int version = app.ScreenVersion;
            if (version == _version)
            {
                continue;
            }

            _version = version;
            _output.Background(Describe(_terminal, _style, _wallet));
            Printed++;
        }
    }
}
