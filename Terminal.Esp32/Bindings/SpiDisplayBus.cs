using System;
using System.Device.Gpio;
using System.Device.Spi;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="ISpiDisplayBus"/> over one nanoFramework <see cref="SpiDevice"/> on SPI1 with the chip select the
    /// native driver drives, and a GPIO for the controller's D/CX line (low: command, high: parameters and pixels).
    /// Write only, so the bus runs half duplex and needs no MISO pin. The clock and data pins must have been assigned
    /// (<see cref="Board.PinSetup.DisplaySpi"/>) before construction.
    /// </summary>
    public sealed class SpiDisplayBus : ISpiDisplayBus, IDisposable
    {
        private readonly SpiDevice _device;
        private readonly GpioPin _dataCommand;

        /// <param name="busId">1 = SPI1 on the ESP32.</param>
        /// <param name="chipSelect">CSX, driven low by the native driver for each transfer.</param>
        /// <param name="dataCommand">D/CX.</param>
        /// <param name="clockMHz">
        /// SCL in MHz (configuration spiClockMHz). The ILI9341 datasheet specifies a 100 ns serial write cycle, the
        /// ST7789V a faster one; both run writes at 40 MHz on short wires in common use (docs/display.md).
        /// </param>
        public SpiDisplayBus(GpioController gpio, int busId, int chipSelect, int dataCommand, int clockMHz)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(busId, chipSelect);
            settings.ClockFrequency = clockMHz * 1000000;
            settings.Mode = SpiMode.Mode0; // both datasheets: data sampled on the rising edge of SCL
            settings.DataFlow = DataFlow.MsbFirst;
            settings.Configuration = SpiBusConfiguration.HalfDuplex;
            _dataCommand = gpio.OpenPin(dataCommand, PinMode.Output);
            _device = SpiDevice.Create(settings);
        }

        public bool Write(byte[] buffer, int offset, int count, bool data)
        {
            try
            {
                _dataCommand.Write(data ? PinValue.High : PinValue.Low);

                // SpanByte is a struct over the caller's array: no copy, no allocation.
                _device.Write(new SpanByte(buffer, offset, count));
                return true;
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
            _dataCommand.Dispose();
        }
    }
}
