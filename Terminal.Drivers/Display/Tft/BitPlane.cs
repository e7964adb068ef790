using System;

namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// A one-bit picture (an icon, a dot): rows of bits, most significant bit of each byte leftmost, each row
    /// starting on a new byte. A scene draws it scaled in one colour on another, so a 16x16 icon costs 32 bytes
    /// however large it appears. Immutable; share one instance.
    /// </summary>
    public sealed class BitPlane
    {
        private readonly byte[] _bits;

        public BitPlane(int width, int height, byte[] bits)
        {
            if (width < 1 || height < 1)
            {
                throw new ArgumentOutOfRangeException("width", "a bit plane needs at least one pixel, was " + width + "x" + height);
            }

            if (bits == null)
            {
                throw new ArgumentNullException("bits");
            }

            BytesPerRow = (width + 7) / 8;
            if (bits.Length != BytesPerRow * height)
            {
                throw new ArgumentException("a " + width + "x" + height + " plane has " + (BytesPerRow * height) + " bytes, got " + bits.Length, "bits");
            }

            Width = width;
            Height = height;
            _bits = bits;
        }

        public int Width { get; private set; }

        public int Height { get; private set; }

        public int BytesPerRow { get; private set; }

        /// <summary>True for a set pixel; (0,0) is the top-left.</summary>
        public bool IsSet(int x, int y)
        {
            return (_bits[y * BytesPerRow + (x >> 3)] & (0x80 >> (x & 7))) != 0;
        }
    }
}
