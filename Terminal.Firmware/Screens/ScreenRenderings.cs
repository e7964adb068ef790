using System;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Ili9341;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Display.St7789;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Ports;

namespace Terminal.Firmware.Screens
{
    /// <summary>The rendering and driver the configuration's <c>display</c> names, on the port it is wired to.</summary>
    public static class ScreenRenderings
    {
        /// <param name="i2c">The OLED's I2C device (for ssd1306 and sh1106).</param>
        /// <param name="spi">The TFT's SPI device with its D/CX line (for st7789 and ili9341).</param>
        /// <param name="backlight">The TFT's backlight; null when it is wired to 3V3.</param>
        /// <param name="pause">The TFT's settling waits; null: Thread.Sleep.</param>
        public static IScreenRendering Create(DisplaySection display, II2cBus i2c, ISpiDisplayBus spi, IBacklight backlight, TftPause pause)
        {
            if (display == null)
            {
                throw new ArgumentNullException("display");
            }

            if (!display.IsTft)
            {
                if (i2c == null)
                {
                    throw new ArgumentNullException("i2c", "the " + display.Controller + " OLED needs its I2C port");
                }

                return new OledRendering(display.Controller == DisplaySection.Sh1106 ? (IDisplayDriver)new Sh1106Driver(i2c) : new Ssd1306Driver(i2c));
            }

            if (spi == null)
            {
                throw new ArgumentNullException("spi", "the " + display.Controller + " TFT needs its SPI port");
            }

            TftDriver driver = display.Controller == DisplaySection.Ili9341
                ? (TftDriver)new Ili9341Driver(spi, backlight, pause, display.Width, display.Height)
                : new St7789Driver(spi, backlight, pause, display.Width, display.Height);
            return new TftRendering(driver);
        }
    }
}
