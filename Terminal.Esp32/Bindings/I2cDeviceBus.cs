using System;
using System.Device.I2c;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="II2cBus"/> over one nanoFramework <see cref="I2cDevice"/> at 400 kHz (SSD1306/SH1106 limit).
    /// The bus pins must have been assigned (<see cref="Board.PinSetup"/>) before construction.
    /// </summary>
    public sealed class I2cDeviceBus : II2cBus, IDisposable
    {
        private readonly I2cDevice _device;

        /// <param name="busId">1 = I2C1, 2 = I2C2 on the ESP32.</param>
        /// <param name="address">7-bit device address, e.g. 0x3C.</param>
        public I2cDeviceBus(int busId, int address)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.FastMode));
        }

        public bool Write(byte[] buffer, int offset, int count)
        {
            try
            {
                // SpanByte is a struct over the caller's array: no copy, no allocation.
                I2cTransferResult result = _device.Write(new SpanByte(buffer, offset, count));
                return result.Status == I2cTransferStatus.FullTransfer && result.BytesTransferred == (uint)count;
            }
            catch (Exception)
            {
                // A native bus fault is a failed transfer to the driver, which counts and retries it.
                return false;
            }
        }

        public void Dispose()
        {
            _device.Dispose();
        }
    }
}
