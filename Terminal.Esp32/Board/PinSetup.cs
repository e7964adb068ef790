using nanoFramework.Hardware.Esp32;

namespace Terminal.Esp32.Board
{
    /// <summary>
    /// Routes the ESP32's GPIO matrix for the terminal (hardware/README.md section 1). Must run before the
    /// ports are opened: COM2 and COM3 have no pins at boot, and I2C1 defaults to GPIO18/19 (docs/nanoframework.md sections 1.2, 4.5).
    /// Pin muxing lives here, in the app, never in a driver.
    /// </summary>
    public static class PinSetup
    {
        /// <summary>The OLED's (and the keypad expander's) bus: I2C1 on the given pins (21/22 on both boards).</summary>
        public static void DisplayBus(int sda, int scl)
        {
            Configuration.SetPinFunction(sda, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(scl, DeviceFunction.I2C1_CLOCK);
        }

        /// <summary>A colour TFT's bus: SPI1 clock and data out (the controller is written only, so no MISO).</summary>
        public static void DisplaySpi(int clock, int mosi)
        {
            Configuration.SetPinFunction(clock, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(mosi, DeviceFunction.SPI1_MOSI);
        }

        /// <summary>A colour TFT's backlight: LEDC channel PWM1 (no other PWM is used).</summary>
        public static void Backlight(int pin)
        {
            Configuration.SetPinFunction(pin, DeviceFunction.PWM1);
        }

        /// <summary>The piezo buzzer: LEDC channel PWM3, the second timer, so its tones never change the backlight's 5 kHz.</summary>
        public static void Buzzer(int pin)
        {
            Configuration.SetPinFunction(pin, DeviceFunction.PWM3);
        }

        /// <summary>The receipt printer's UART: COM3 (UART2). <paramref name="tx"/> goes to the printer's RXD.</summary>
        public static void PrinterPort(int tx, int rx)
        {
            Configuration.SetPinFunction(tx, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(rx, DeviceFunction.COM3_RX);
        }

        /// <summary>The scanner's UART: COM2 (UART1). <paramref name="tx"/> goes to the scanner's RXD.</summary>
        public static void ScannerPort(int tx, int rx)
        {
            Configuration.SetPinFunction(tx, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(rx, DeviceFunction.COM2_RX);
        }

        /// <summary>The MDB bridge's UART: COM3 (UART2), the host link being off. <paramref name="tx"/> goes to the bridge's RXD.</summary>
        public static void MdbBridgePort(int tx, int rx)
        {
            Configuration.SetPinFunction(tx, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(rx, DeviceFunction.COM3_RX);
        }

        /// <summary>The host link's UART: COM3 (UART2). <paramref name="tx"/> goes to the controller's RX.</summary>
        public static void HostLinkPort(int tx, int rx)
        {
            Configuration.SetPinFunction(tx, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(rx, DeviceFunction.COM3_RX);
        }
    }
}
