namespace Terminal.Drivers.Printer
{
    /// <summary>
    /// Builds ESC/POS bytes into one fixed buffer: the commands a receipt needs (Epson ESC/POS command reference,
    /// implemented by the CSN-A2 class of TTL thermal printers), and text. Text is printed in the printer's default
    /// code page (PC437), of which only printable ASCII is used: any other character is printed as '?', so no input
    /// can form a command. Writing past the capacity drops the excess and sets <see cref="Overflowed"/>. Allocates
    /// nothing after construction.
    /// </summary>
    public sealed class EscPosWriter
    {
        public const byte Esc = 0x1B;
        public const byte Gs = 0x1D;
        public const byte LineFeedByte = 0x0A;

        public const int AlignLeft = 0;
        public const int AlignCenter = 1;
        public const int AlignRight = 2;

        private readonly byte[] _buffer;

        public EscPosWriter(int capacity)
        {
            _buffer = new byte[capacity];
        }

        /// <summary>The bytes written, [0, <see cref="Length"/>).</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        public int Length { get; private set; }

        /// <summary>Something did not fit since the last <see cref="Clear"/>.</summary>
        public bool Overflowed { get; private set; }

        public void Clear()
        {
            Length = 0;
            Overflowed = false;
        }

        /// <summary>ESC @: clears the print buffer and resets every mode to the power-on state.</summary>
        public void Initialize()
        {
            Put(Esc);
            Put((byte)'@');
        }

        /// <summary>ESC a n: justification of the lines that follow (0 left, 1 centre, 2 right).</summary>
        public void Align(int alignment)
        {
            Put(Esc);
            Put((byte)'a');
            Put((byte)alignment);
        }

        /// <summary>ESC E n: emphasized (bold) on or off.</summary>
        public void Emphasis(bool on)
        {
            Put(Esc);
            Put((byte)'E');
            Put((byte)(on ? 1 : 0));
        }

        /// <summary>GS ! n: character width and height multipliers, 1..8 each (n = (width-1) &lt;&lt; 4 | (height-1)).</summary>
        public void CharacterSize(int width, int height)
        {
            Put(Gs);
            Put((byte)'!');
            Put((byte)(((Clamp(width) - 1) << 4) | (Clamp(height) - 1)));
        }

        /// <summary>LF: prints the line and starts the next.</summary>
        public void LineFeed()
        {
            Put(LineFeedByte);
        }

        /// <summary>ESC d n: prints what is buffered and feeds <paramref name="lines"/> lines.</summary>
        public void Feed(int lines)
        {
            Put(Esc);
            Put((byte)'d');
            Put((byte)(lines < 0 ? 0 : lines > 255 ? 255 : lines));
        }

        /// <summary>The characters of <paramref name="text"/> (null writes nothing).</summary>
        public void Text(string text)
        {
            if (text != null)
            {
                Text(text, 0, text.Length);
            }
        }

        /// <summary><c>text[start .. start+count)</c>; characters outside printable ASCII become '?'.</summary>
        public void Text(string text, int start, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Char(text[start + i]);
            }
        }

        /// <summary>One character (outside printable ASCII: '?').</summary>
        public void Char(char c)
        {
            Put(c >= ' ' && c <= '~' ? (byte)c : (byte)'?');
        }

        /// <summary><paramref name="count"/> times <paramref name="c"/>.</summary>
        public void Repeat(char c, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Char(c);
            }
        }

        /// <summary>A whole number in decimal, at least <paramref name="minDigits"/> digits (zero-padded).</summary>
        public void Number(long value, int minDigits)
        {
            if (value < 0)
            {
                Char('-');
                value = -value;
            }

            int digits = 1;
            for (long v = value / 10; v > 0; v /= 10)
            {
                digits++;
            }

            for (int i = digits; i < minDigits; i++)
            {
                Char('0');
            }

            long scale = 1;
            for (int i = 1; i < digits; i++)
            {
                scale *= 10;
            }

            for (; scale > 0; scale /= 10)
            {
                Char((char)('0' + (int)(value / scale % 10)));
            }
        }

        private void Put(byte b)
        {
            if (Length == _buffer.Length)
            {
                Overflowed = true;
                return;
            }

            _buffer[Length++] = b;
        }

        private static int Clamp(int multiplier)
        {
            return multiplier < 1 ? 1 : multiplier > 8 ? 8 : multiplier;
        }
    }
}
