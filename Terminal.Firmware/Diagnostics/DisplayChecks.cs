using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Ports;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known-answer checks of the display stack for the self-test: glyph bytes, the SSD1306 init
    /// sequence, a partial update's exact I2C writes, the QR blit and the countdown text.
    /// </summary>
    public static class DisplayChecks
    {
        public static void Run(SelfTestReport report)
        {
            report.Run("display font glyph", CheckGlyph);
            report.Run("display ssd1306 init bytes", CheckInit);
            report.Run("display partial update bytes", CheckPartialUpdate);
            report.Run("display qr blit", CheckBlit);
            report.Run("display countdown text", CheckCountdown);
        }

        private static string CheckGlyph()
        {
            var fb = new Framebuffer();
            TextPainter.Draw(fb, SmallFont.Create(), "A0", 0, 0);
            // 'A' and '0' of the small font, one byte per column, then the spacing column.
            byte[] expected = { 0x7E, 0x09, 0x09, 0x09, 0x7E, 0x00, 0x3E, 0x51, 0x49, 0x45, 0x3E };
            return Compare(expected, Image(fb), 0);
        }

        private static string CheckInit()
        {
            byte[] expected =
            {
                0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8, 0xDA, 0x12,
                0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0xA4, 0xA6, 0x2E, 0xAF,
            };
            var buffer = new byte[Ssd1306InitSequence.Length];
            Ssd1306InitSequence.Write(buffer, 0, OledDriver.DefaultContrast, false, true);
            return Compare(expected, buffer, 0);
        }

        private static string CheckPartialUpdate()
        {
            var bus = new RecordingBus();
            var driver = new Ssd1306Driver(bus);
            var fb = new Framebuffer();
            if (!driver.Update(fb))
            {
                return "full update failed";
            }

            bus.Count = 0;
            fb.SetPixel(100, 50, true);
            if (!driver.Update(fb))
            {
                return "partial update failed";
            }

            // One window (column 100, page 6) and one data byte with bit 2 set (row 50 = 6 x 8 + 2).
            byte[] expected = { 0x00, 0x21, 100, 100, 0x22, 6, 6, 0x40, 0x04 };
            return bus.Writes != 2 ? "expected 2 writes, got " + bus.Writes : Compare(expected, bus.Bytes, 0);
        }

        private static string CheckBlit()
        {
            var fb = new Framebuffer();
            fb.DrawModules(new Diagonal(), 0, 0, 1, 2);
            // Quiet zone 2 lit rows on top, the 2x2 symbol in rows 2-3, 2 lit rows below: column bytes of page 0.
            byte[] expected = { 0x3F, 0x3F, 0x3B, 0x37, 0x3F, 0x3F };
            return Compare(expected, Image(fb), 0);
        }

        private static string CheckCountdown()
        {
            var chars = new char[5];
            int n = Countdown.Format(299, chars);
            return n == 4 && chars[0] == '4' && chars[1] == ':' && chars[2] == '5' && chars[3] == '9' ? null : "299 s is not 4:59";
        }

        private static byte[] Image(Framebuffer fb)
        {
            var image = new byte[Framebuffer.Width * Framebuffer.Pages];
            fb.CopyTo(image, 0);
            return image;
        }

        private static string Compare(byte[] expected, byte[] actual, int offset)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                if (actual[offset + i] != expected[i])
                {
                    return "byte " + i + " is " + actual[offset + i] + ", expected " + expected[i];
                }
            }

            return null;
        }

        /// <summary>Records the bytes of the writes since Count was reset.</summary>
        private sealed class RecordingBus : II2cBus
        {
            public readonly byte[] Bytes = new byte[64];
            public int Count;
            public int Writes;

            public bool Write(byte[] buffer, int offset, int count)
            {
                if (Count == 0)
                {
                    Writes = 0;
                }

                Writes++;
                for (int i = 0; i < count && Count < Bytes.Length; i++)
                {
                    Bytes[Count++] = buffer[offset + i];
                }

                return true;
            }

            public bool Read(byte[] buffer, int offset, int count)
            {
                return false;
            }
        }

        /// <summary>A 2x2 matrix with dark modules on the main diagonal.</summary>
        private sealed class Diagonal : IModuleMatrix
        {
            public int Size
            {
                get { return 2; }
            }

            public bool IsDark(int x, int y)
            {
                return x == y;
            }
        }
    }
}
