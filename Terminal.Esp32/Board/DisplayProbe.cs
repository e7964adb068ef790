using System;
using System.Device.I2c;
using Terminal.Firmware.Screens;

namespace Terminal.Esp32.Board
{
    /// <summary>
    /// Finds the OLED on its bus at boot: SSD1306/SH1106 modules answer at 0x3C or 0x3D depending on how the module
    /// maker strapped SA0 (SSD1306 datasheet 8.1.5), and the marking on the board does not always say which. The
    /// configured address (displayAddress) is used when it answers; otherwise the other one, so that the screen can
    /// still show why the terminal stopped. DIAG reports what answered.
    /// </summary>
    public static class DisplayProbe
    {
        /// <summary>The address to drive and, in <paramref name="report"/>, the DIAG line saying which address answered.</summary>
        public static int Choose(int busId, int configured, out string report)
        {
            int other = configured == DisplaySection.AddressHigh ? DisplaySection.AddressLow : DisplaySection.AddressHigh;
            if (Answers(busId, configured))
            {
                report = "display i2c " + Name(configured) + " answered";
                return configured;
            }

            if (Answers(busId, other))
            {
                report = "display i2c " + Name(configured) + " (displayAddress) did not answer, " + Name(other)
                    + " did and is used: set displayAddress to \"" + Name(other) + "\"";
                return other;
            }

            report = "display i2c no answer at 0x3C or 0x3D: check the OLED's wiring and supply (hardware/README.md)";
            return configured;
        }

        /// <summary>Whether a device acknowledges its address: a command NOP (0xE3), which changes nothing on the panel.</summary>
        private static bool Answers(int busId, int address)
        {
            I2cDevice device = null;
            try
            {
                device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.FastMode));
                byte[] nop = new byte[] { 0x00, 0xE3 };
                I2cTransferResult result = device.Write(new SpanByte(nop, 0, nop.Length));
                return result.Status == I2cTransferStatus.FullTransfer;
            }
            catch (Exception)
            {
                return false;
            }
            finally
            {
                if (device != null)
                {
                    device.Dispose();
                }
            }
        }

        private static string Name(int address)
        {
            return address == DisplaySection.AddressHigh ? "0x3D" : "0x3C";
        }
    }
}
