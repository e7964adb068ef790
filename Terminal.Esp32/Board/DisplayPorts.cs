using System.Device.Gpio;
using System.Threading;
using Terminal.Drivers.Ports;
using Terminal.Esp32.Bindings;
using Terminal.Firmware.Screens;

namespace Terminal.Esp32.Board
{
    /// <summary>
    /// The display's ports as the configuration's <c>display</c> says: the OLED's I2C device at the address its probe
    /// found (<see cref="DisplayProbe"/>), or a colour TFT's SPI
    /// device with its D/CX line, its backlight PWM, and its reset line pulsed once here (RESX low for 1 ms: both
    /// datasheets ask for at least 10 us; the driver's software reset and its 120 ms wait follow).
    /// </summary>
    public sealed class DisplayPorts
    {
        private DisplayPorts()
        {
        }

        /// <summary>The OLED's bus; null with a TFT.</summary>
        public II2cBus I2c { get; private set; }

        /// <summary>The TFT's bus; null with an OLED.</summary>
        public ISpiDisplayBus Spi { get; private set; }

        /// <summary>The TFT's backlight; null with an OLED.</summary>
        public IBacklight Backlight { get; private set; }

        /// <summary>What was found: the OLED's probe result, or the TFT driven (for the log and DIAG).</summary>
        public string Report { get; private set; }

        /// <summary>False when the OLED answered at another address than the configured one.</summary>
        public bool AsConfigured { get; private set; }

        public static DisplayPorts Open(DisplaySection display, GpioController gpio)
        {
            DisplayPorts ports = new DisplayPorts();
            if (!display.IsTft)
            {
                PinSetup.DisplayBus(display.I2cSda, display.I2cScl);
                string report;
                int address = DisplayProbe.Choose(BoardDefaults.DisplayBusId, display.Address, out report);
                ports.Report = report;
                ports.AsConfigured = address == display.Address;
                ports.I2c = new I2cDeviceBus(BoardDefaults.DisplayBusId, address, BoardDefaults.DisplayBusSpeed);
                return ports;
            }

            // A write-only SPI panel cannot be probed: the report says what is driven.
            ports.Report = "display spi " + display.Controller + " " + display.Width + "x" + display.Height + " on SPI" + BoardDefaults.DisplaySpiBusId
                + " at " + display.SpiClockMHz + " MHz (not probed: the panel is written only)";
            ports.AsConfigured = true;

            GpioPin reset = gpio.OpenPin(display.TftReset, PinMode.Output);
            reset.Write(PinValue.Low);
            Thread.Sleep(1);
            reset.Write(PinValue.High);

            PinSetup.DisplaySpi(display.SpiClock, display.SpiMosi);
            ports.Spi = new SpiDisplayBus(gpio, BoardDefaults.DisplaySpiBusId, display.TftCs, display.TftDc, display.SpiClockMHz);
            PinSetup.Backlight(display.TftBacklight);
            ports.Backlight = new PwmBacklight(display.TftBacklight);
            return ports;
        }

        /// <summary>A rendering of its own on these ports (the boot screen's; the app makes one too).</summary>
        public IScreenRendering CreateRendering(DisplaySection display)
        {
            return ScreenRenderings.Create(display, I2c, Spi, Backlight, null);
        }
    }
}
