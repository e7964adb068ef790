using System.IO.Ports;
using Terminal.Drivers.Ports;

namespace Terminal.Tests.Scanner;

/// <summary>The PC binding of <see cref="ISerialPort"/> over .NET's System.IO.Ports.SerialPort (8N1, no handshake).</summary>
public sealed class SystemSerialPort : ISerialPort, IDisposable
{
    private readonly SerialPort _port;

    public SystemSerialPort(string portName, int baudRate = 9600)
    {
        _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            WriteTimeout = 2000,
        };
        _port.Open();
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (timeoutMs <= 0)
        {
            if (_port.BytesToRead == 0)
            {
                return 0;
            }

            timeoutMs = 1;
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

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void Dispose() => _port.Dispose();
}
