using Terminal.Firmware.App;
using Terminal.Simulator.Devices;
using Terminal.Transactions;

namespace Terminal.Simulator.Ui;

/// <summary>
/// Scanner input from a file: each time the terminal starts waiting for a customer's payment code, the next line
/// of the file is held in front of the virtual scanner (empty lines and lines starting with # are skipped).
/// </summary>
public sealed class CodeFileFeeder : IDisposable
{
    private readonly SimulatedTerminal _terminal;
    private readonly Output _output;
    private readonly Queue<string> _codes;
    private readonly Thread _thread;
    private volatile bool _stop;

    public CodeFileFeeder(SimulatedTerminal terminal, Output output, string path)
    {
        _terminal = terminal;
        _output = output;
        _codes = new Queue<string>(File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        _thread = new Thread(Feed) { IsBackground = true, Name = "scanner code file" };
        _thread.Start();
    }

    public int Remaining => _codes.Count;

    public void Dispose()
    {
        _stop = true;
        _thread.Join(1000);
    }

    private void Feed()
    {
        bool wasScanning = false;
        while (!_stop)
        {
            Thread.Sleep(20);
            bool scanning = _terminal.Rail.On && _terminal.App != null && _terminal.App.Phase == DeskPhase.Scanning;
            if (scanning && !wasScanning && _codes.Count > 0 && _terminal.Scanner != null)
            {
                string code = _codes.Dequeue();
                _terminal.Scanner.Present(code);
                _output.Background($"  scanner: next code from the file: {code} ({_codes.Count} left)");
            }

            wasScanning = scanning;
        }
    }
}
