using Terminal.Core.Ports;
using Terminal.Drivers.Ports;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// Everything outside the portable core that <see cref="TerminalApp"/> talks to (docs/architecture.md section 4, layer
    /// 2). The ESP32 Program.Main fills it with nanoFramework bindings, the simulator with PC bindings, tests with
    /// in-memory fakes; the app itself holds no binding code.
    /// </summary>
    public sealed class TerminalPorts
    {
        /// <summary>One HTTP exchange with the gateway (worker thread only).</summary>
        public IHttpExchange Http { get; set; }

        /// <summary>HMAC-SHA256 with the device key.</summary>
        public IMac Mac { get; set; }

        /// <summary>Durable records: the transaction journal.</summary>
        public IDurableStorage Storage { get; set; }

        /// <summary>Wall and monotonic time (both threads).</summary>
        public IClock Clock { get; set; }

        /// <summary>The worker thread's waits; <see cref="TerminalApp.Stop"/> and aborts wake it.</summary>
        public ISleeper Sleeper { get; set; }

        /// <summary>Entropy for request ids.</summary>
        public IRandom Random { get; set; }

        /// <summary>Diagnostic log (both threads).</summary>
        public ILog Log { get; set; }

        /// <summary>Free heap and Wi-Fi state for the heartbeat; null when the platform cannot tell (docs/fleet-link.md).</summary>
        public IPlatformHealth Health { get; set; }

        /// <summary>The OLED's I2C device; the driver is chosen by <c>TerminalConfig.Display.Controller</c>. Null with a colour TFT.</summary>
        public II2cBus DisplayBus { get; set; }

        /// <summary>A colour TFT's SPI device with its data/command line (display st7789 or ili9341); null with an OLED.</summary>
        public ISpiDisplayBus DisplaySpi { get; set; }

        /// <summary>The TFT's backlight; null when it is wired to 3V3.</summary>
        public IBacklight DisplayBacklight { get; set; }

        /// <summary>The GM65 scanner's UART; null when no scanner is fitted (customer-presented sales are refused).</summary>
        public ISerialPort ScannerPort { get; set; }

        /// <summary>The cash register's or vending controller's line (docs/host-link.md); null when the host link is off.</summary>
        public ISerialPort HostLinkPort { get; set; }

        /// <summary>Pulse vending: the GPIO of the credit output (to the optocoupler); null otherwise.</summary>
        public IDigitalOutput PulseLine { get; set; }

        /// <summary>MDB vending: the UART to the MDB bridge (COM3, 115200 8N1); null otherwise.</summary>
        public ISerialPort MdbBridgePort { get; set; }

        /// <summary>The keypad's PCF8574 expander on the OLED's I2C bus; null without a keypad.</summary>
        public II2cBus KeypadBus { get; set; }

        /// <summary>The piezo buzzer's PWM channel; null without a buzzer.</summary>
        public IToneOutput Buzzer { get; set; }

        /// <summary>The receipt printer's UART; null without a printer.</summary>
        public ISerialPort PrinterPort { get; set; }

        /// <summary>Over-the-air updates (boot record, version folders, flashed versions, restart); null: no updates.</summary>
        public Terminal.Updates.UpdatePorts Updates { get; set; }
    }
}
