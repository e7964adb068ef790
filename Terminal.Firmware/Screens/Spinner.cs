using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// A 16x16 "comet" of 8 dots on a circle: the head dot is a 3x3 block, the one behind it a plus, the
    /// rest single pixels. Each step repaints the box column by column (opaque), so only the columns
    /// around the moving head change and reach the display; nothing allocates.
    /// </summary>
    internal static class Spinner
    {
        public const int Size = 16;
        public const int Steps = 8;

        // Top-left corner (x, y) of each dot's 3x3 cell, clockwise from 12 o'clock, on a circle of radius 6
        // around (7, 7).
        private static readonly byte[] DotX = { 6, 10, 12, 10, 6, 2, 0, 2 };
        private static readonly byte[] DotY = { 0, 2, 6, 10, 12, 10, 6, 2 };

        public static void Draw(Framebuffer fb, int x, int y, int step)
        {
            int head = step & (Steps - 1);
            int tail = (head + Steps - 1) & (Steps - 1);
            for (int column = 0; column < Size; column++)
            {
                int bits = 0;
                for (int dot = 0; dot < Steps; dot++)
                {
                    int offset = column - DotX[dot];
                    if (offset < 0 || offset > 2)
                    {
                        continue;
                    }

                    int shape;
                    if (dot == head)
                    {
                        shape = 0x7; // full 3x3
                    }
                    else if (dot == tail)
                    {
                        shape = offset == 1 ? 0x7 : 0x2; // plus
                    }
                    else
                    {
                        shape = offset == 1 ? 0x2 : 0; // centre pixel
                    }

                    bits |= shape << DotY[dot];
                }

                fb.WriteColumn(x + column, y, bits, Size);
            }
        }
    }
}
