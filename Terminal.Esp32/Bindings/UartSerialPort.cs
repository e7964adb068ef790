using System;
using System.IO.Ports;
using System.Threading;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="ISerialPort"/> over a nanoFramework UART (COM2: scanner, COM3: host link; COM1 is the
    /// debugger's). The pins must have been assigned (<see cref="Board.PinSetup"/>) before construction.
    /// </summary>
    /// <remarks>
    /// nanoFramework's <c>SerialPort.Read</c> waits until the whole count has arrived and throws a
    /// TimeoutException otherwise (nf-interpreter, targets/ESP32 SerialPort native Read). So a read here only
    /// asks for bytes already received, and waits for the first byte on the DataReceived event: an idle poll
    /// allocates nothing and throws nothing.
    /// </remarks>
    public sealed class UartSerialPort : ISerialPort, IDisposable
    {
        // Receive ring buffer in the native heap (SerialPort default 256). At 115200 baud 1 KB lasts about
        // 90 ms, longer than one main-loop pass including a full display refresh (about 25 ms).
        private const int ReceiveBufferBytes = 1024;

        private readonly SerialPort _port;
        private readonly AutoResetEvent _received = new AutoResetEvent(false);

        /// <param name="portName">"COM2" or "COM3".</param>
        /// <param name="baudRate">Line speed; 8 data bits, no parity, one stop bit, no flow control.</param>
        /// <param name="writeTimeoutMs">Longest wait for a write to leave the port.</param>
        public UartSerialPort(string portName, int baudRate, int writeTimeoutMs)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.Handshake = Handshake.None;
            _port.ReadBufferSize = ReceiveBufferBytes;
            _port.WriteTimeout = writeTimeoutMs;

            // Reads below never wait in the port (they ask only for what is there); this bounds a surprise.
            _port.ReadTimeout = 100;
            _port.DataReceived += OnDataReceived;
            _port.Open();
        }

        public string PortName
        {
            get { return _port.PortName; }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int available = _port.BytesToRead;
            if (available == 0)
            {
                long deadline = Environment.TickCount64 + timeoutMs;
                while (available == 0)
                {
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0)
                    {
                        return 0;
                    }

                    _received.WaitOne((int)left, false);
                    available = _port.BytesToRead;
                }
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public void Dispose()
        {
            _port.DataReceived -= OnDataReceived;
            _port.Dispose();
        }

        private void OnDataReceived(object sender, SerialDataReceivedEventArgs e)
        {
            _received.Set();
        }
    }
}
