using System;
using System.Device.I2c;
using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Esp32.Bindings;
using Terminal.Esp32.Startup;
using Terminal.Firmware.Config;

namespace Terminal.Esp32.Board
{
    /// <summary>
    /// The standalone countertop's parts as the configuration says (keys keypad, buzzerPin, printer; docs/countertop.md):
    /// the keypad's PCF8574 on I2C1, the piezo on LEDC PWM3, the receipt printer on COM3. Each part is optional, and
    /// one that cannot be opened is left off with the reason in the log and DIAG: the terminal takes payments without it.
    /// </summary>
    public sealed class CountertopPorts
    {
        /// <summary>
        /// Longest wait for a write to the printer. The receipt printer hands the port no more than the baud rate has
        /// sent since the receipt began (Terminal.Countertop ReceiptPrinter), so a write does not wait for the line.
        /// </summary>
        private const int PrinterWriteTimeoutMs = 250;

        private const string HexDigits = "0123456789ABCDEF";

        private CountertopPorts()
        {
        }

        /// <summary>The keypad expander; null without a keypad.</summary>
        public II2cBus Keypad { get; private set; }

        /// <summary>The piezo; null without a buzzer.</summary>
        public IToneOutput Buzzer { get; private set; }

        /// <summary>The printer's UART; null without a printer.</summary>
        public ISerialPort Printer { get; private set; }

        /// <summary>One DIAG line: what was opened, where, and what was not and why; null when no part is configured.</summary>
        public string Report { get; private set; }

        /// <summary>
        /// Whether the printer takes COM3, so the host link has no UART (the ESP32's three UARTs: COM1 debug, COM2
        /// scanner). Decided before the host link would be opened.
        /// </summary>
        public static bool PrinterHasHostLinkUart(TerminalConfig config)
        {
            return config.Printer.Fitted;
        }

        public static CountertopPorts Open(TerminalConfig config, ILog log)
        {
            CountertopPorts ports = new CountertopPorts();
            string report = null;
            if (config.Keypad.Fitted)
            {
                report = Join(report, ports.OpenKeypad(config));
            }

            if (config.Buzzer.Fitted)
            {
                report = Join(report, ports.OpenBuzzer(config.Buzzer.Pin));
            }

            if (config.Printer.Fitted)
            {
                report = Join(report, ports.OpenPrinter(config));
            }

            ports.Report = report;
            if (report != null)
            {
                log.Write(LogLevel.Info, report);
            }

            return ports;
        }

        private string OpenKeypad(TerminalConfig config)
        {
            int address = config.Keypad.Address;

            // Beside an OLED the bus is already routed and runs at the OLED's 400 kHz; alone it runs at the PCF8574's 100 kHz.
            bool alone = config.Display.IsTft;
            string where = "keypad " + config.Keypad.Layout + " pcf8574 " + Hex(address) + " on I2C1 at " + (alone ? "100" : "400") + " kHz";
            try
            {
                if (alone)
                {
                    PinSetup.DisplayBus(config.Display.I2cSda, config.Display.I2cScl);
                }

                I2cDeviceBus bus = new I2cDeviceBus(BoardDefaults.DisplayBusId, address, alone ? BoardDefaults.KeypadOnlyBusSpeed : BoardDefaults.DisplayBusSpeed);
                Keypad = bus;

                // One read of the port: an expander that acknowledges its address is there (its pins read high at power-on).
                byte[] port = new byte[1];
                return where + (bus.Read(port, 0, 1) ? " answered" : " did not answer: check its address (keypadAddress), wiring and 3V3 (hardware/README.md section 7)");
            }
            catch (Exception e)
            {
                Keypad = null;
                return where + " not opened: " + e.Message;
            }
        }

        private string OpenBuzzer(int pin)
        {
            try
            {
                PinSetup.Buzzer(pin);
                Buzzer = new PwmTone(pin);
                return "buzzer GPIO" + pin + " on PWM3";
            }
            catch (Exception e)
            {
                Buzzer = null;
                return "buzzer GPIO" + pin + " not opened: " + e.Message;
            }
        }

        private string OpenPrinter(TerminalConfig config)
        {
            int tx = config.Printer.Tx >= 0 ? config.Printer.Tx : ConfigFile.HostLinkTx(config);
            int rx = config.Printer.Rx >= 0 ? config.Printer.Rx : ConfigFile.HostLinkRx(config);
            string where = "printer escpos " + BoardDefaults.PrinterPortName + " TX GPIO" + tx + " RX GPIO" + rx + " " + config.Printer.Baud
                + " baud (no host link: the printer has its UART)";
            try
            {
                PinSetup.PrinterPort(tx, rx);
                Printer = new UartSerialPort(BoardDefaults.PrinterPortName, config.Printer.Baud, PrinterWriteTimeoutMs);
                return where;
            }
            catch (Exception e)
            {
                Printer = null;
                return where + " not opened: " + e.Message;
            }
        }

        private static string Join(string report, string part)
        {
            return report == null ? part : report + "; " + part;
        }

        private static string Hex(int value)
        {
            return "0x" + HexDigits.Substring((value >> 4) & 0xF, 1) + HexDigits.Substring(value & 0xF, 1);
        }
    }
}
