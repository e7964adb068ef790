using System.Device.I2c;

namespace Terminal.Esp32.Board
{
    /// <summary>Fixed hardware facts of the terminal's wiring (hardware/README.md section 1).</summary>
    public static class BoardDefaults
    {
        /// <summary>The OLED's I2C bus (I2C1); its address is configured (displayAddress) and probed (<see cref="DisplayProbe"/>).</summary>
        public const int DisplayBusId = 1;

        /// <summary>
        /// The OLED's bus clock, 400 kHz (a full frame in about 23 ms); a keypad expander sharing the bus runs at it too,
        /// so beside an OLED it must be a 400 kHz part (PCA8574/PCA8574A; hardware/README.md section 7).
        /// </summary>
        public const I2cBusSpeed DisplayBusSpeed = I2cBusSpeed.FastMode;

        /// <summary>The keypad's bus clock when it has I2C1 to itself (colour TFT on SPI): 100 kHz, the PCF8574's limit.</summary>
        public const I2cBusSpeed KeypadOnlyBusSpeed = I2cBusSpeed.StandardMode;

        /// <summary>A colour TFT's SPI bus (SPI1).</summary>
        public const int DisplaySpiBusId = 1;

        /// <summary>The scanner's UART and its factory speed (GM65 class: 9600 8N1).</summary>
        public const string ScannerPortName = "COM2";

        public const int ScannerBaud = 9600;

        /// <summary>
        /// The host link's UART (docs/host-link.md: 115200 8N1). Never COM1: on ESP32 firmware that is
        /// nanoFramework's debug and deployment port on the board's USB socket, and applications cannot open it.
        /// </summary>
        public const string HostLinkPortName = "COM3";

        public const int HostLinkBaud = 115200;

        /// <summary>
        /// The MDB bridge's UART when vending is "mdb" (the host link is then off): a Qibixx MDB Pi HAT's serial
        /// line runs at 115200 8N1 (hardware/vending.md). Its pins default to the host link's.
        /// </summary>
        public const string MdbBridgePortName = "COM3";

        public const int MdbBridgeBaud = 115200;

        /// <summary>The receipt printer's UART: COM3, which it takes from the host link (hardware/README.md section 7).</summary>
        public const string PrinterPortName = "COM3";
    }
}
