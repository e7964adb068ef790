namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// Colours as the panels take them with 16 bits per pixel (COLMOD 55h): 5 bits red, 6 green, 5 blue, sent
    /// high byte first (ST7789V datasheet 8.8, ILI9341 datasheet 7.6.1: "65K colors, 16-bit/pixel").
    /// </summary>
    public static class Rgb565
    {
        public const int Black = 0x0000;
        public const int White = 0xFFFF;

        /// <summary>The 16-bit colour nearest to 8-bit red, green and blue (each 0..255).</summary>
        public static int FromRgb(int red, int green, int blue)
        {
            return ((red & 0xF8) << 8) | ((green & 0xFC) << 3) | ((blue & 0xF8) >> 3);
        }

        /// <summary>Red, green and blue of <paramref name="colour"/> widened back to 0..255.</summary>
        public static int Red(int colour)
        {
            int r = (colour >> 11) & 0x1F;
            return (r << 3) | (r >> 2);
        }

        public static int Green(int colour)
        {
            int g = (colour >> 5) & 0x3F;
            return (g << 2) | (g >> 4);
        }

        public static int Blue(int colour)
        {
            int b = colour & 0x1F;
            return (b << 3) | (b >> 2);
        }
    }
}
