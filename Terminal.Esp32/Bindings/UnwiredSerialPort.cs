using System.Threading;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// The host link when the receipt printer has its UART: the ESP32 has three UARTs, COM1 is nanoFramework's debug
    /// port and COM2 the scanner's, so a printer on COM3 leaves the host link without a line (hardware/README.md
    /// section 7). Nothing arrives and what the terminal sends goes nowhere; a read waits its timeout, so the main loop
    /// keeps its pace as it would on a quiet line.
    /// </summary>
    public sealed class UnwiredSerialPort : ISerialPort
    {
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (timeoutMs > 0)
            {
                Thread.Sleep(timeoutMs);
            }

            return 0;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
        }
    }
}
