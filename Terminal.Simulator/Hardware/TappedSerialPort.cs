using System.Text;
using Terminal.Drivers.Ports;

namespace Terminal.Simulator.Hardware;

/// <summary>
/// Passes a real serial port through and reports every complete line in each direction, so that the simulator can
/// show the host-link traffic between the firmware and a real register.
/// </summary>
public sealed class TappedSerialPort : ISerialPort
{
    private readonly ISerialPort _inner;
    private readonly Action<string, bool> _line;
    private readonly StringBuilder _in = new();
    private readonly StringBuilder _out = new();

    /// <param name="inner">The real port.</param>
    /// <param name="line">Called with each line (without CR LF) and true for lines the firmware sent.</param>
    public TappedSerialPort(ISerialPort inner, Action<string, bool> line)
    {
        _inner = inner;
        _line = line;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        int n = _inner.Read(buffer, offset, count, timeoutMs);
        Collect(_in, buffer, offset, n, false);
        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Collect(_out, buffer, offset, count, true);
    }

    private void Collect(StringBuilder line, byte[] buffer, int offset, int count, bool fromFirmware)
    {
        lock (line)
        {
            for (int i = 0; i < count; i++)
            {
                char c = (char)buffer[offset + i];
                if (c == '\n')
                {
                    _line(line.ToString().TrimEnd('\r'), fromFirmware);
                    line.Clear();
                }
                else if (line.Length < 1024)
                {
                    line.Append(c >= ' ' && c <= '~' ? c : '?');
                }
            }
        }
    }
}
