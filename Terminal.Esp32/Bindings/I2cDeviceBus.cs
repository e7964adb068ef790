using System;
using System.Device.I2c;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="II2cBus"/> over one nanoFramework <see cref="I2cDevice"/>: the OLED (written only) or the keypad's
    /// PCF8574 (written and read). The bus pins must have been assigned (<see cref="Board.PinSetup"/>) before
    /// construction.
    /// </summary>
    /// <remarks>
    /// The ESP32 has one clock per bus, not per device: every <c>I2cDevice.Create</c> configures the whole bus at its
    /// settings' speed (nf-interpreter targets/ESP32 sys_dev_i2c_native I2cDevice NativeInit calls i2c_param_config
    /// for the bus). Devices sharing a bus must therefore be created at the same speed (<see cref="Board.CountertopPorts"/>).
    /// </remarks>
    public sealed class I2cDeviceBus : II2cBus, IDisposable
    {
        private readonly I2cDevice _device;

        /// <param name="busId">1 = I2C1, 2 = I2C2 on the ESP32.</param>
        /// <param name="address">7-bit device address, e.g. 0x3C.</param>
        /// <param name="speed">FastMode (400 kHz) for the OLED's bus; StandardMode (100 kHz) for a PCF8574 alone.</param>
        public I2cDeviceBus(int busId, int address, I2cBusSpeed speed)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, speed));
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

        public bool Read(byte[] buffer, int offset, int count)
        {
            try
            {
                // A NACK of the address (no expander at it) is SlaveAddressNotAcknowledged, a hung bus a timeout.
                I2cTransferResult result = _device.Read(new SpanByte(buffer, offset, count));
                return result.Status == I2cTransferStatus.FullTransfer && result.BytesTransferred == (uint)count;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _device.Dispose();
        }
    }
}
