using System.IO.Ports;
using Terminal.Drivers.Ports;

namespace Terminal.Host;

/// <summary>
/// A real serial port (a GM65 on a USB-UART adapter, a register's cable) through System.IO.Ports, as the
/// firmware's <see cref="ISerialPort"/>: 8N1, no handshake, reads wait at most the given time for the first byte.
/// </summary>
public sealed class SystemSerialPort : ISerialPort, IDisposable
{
    private readonly SerialPort _port;

    /// <param name="name">e.g. <c>/dev/ttyUSB0</c> or <c>COM5</c>.</param>
    /// <param name="baudRate">9600 for a GM65 at its factory setting.</param>
    public SystemSerialPort(string name, int baudRate = 9600)
    {
        _port = new SerialPort(name, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = 100,
            WriteTimeout = 1000,
        };
        _port.Open();
    }

    public string Name => _port.PortName;

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_port.BytesToRead == 0)
        {
            if (timeoutMs <= 0)
            {
                return 0;
            }

            _port.ReadTimeout = timeoutMs;
            try
            {
                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
        }

        return _port.Read(buffer, offset, Math.Min(count, _port.BytesToRead));
    }

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void Dispose() => _port.Dispose();
}
