using Terminal.Core.Text;
using Terminal.Drivers.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>
    /// A serial line with a controller on the other end: <see cref="Send"/> queues the controller's bytes for the
    /// terminal to read; what the terminal writes is kept, split into lines at LF.
    /// </summary>
    public sealed class LoopbackSerialPort : ISerialPort
    {
        private readonly byte[] _input = new byte[1024];
        private readonly string[] _lines;
        private readonly byte[] _partial = new byte[300];
        private int _inputStart;
        private int _inputEnd;
        private int _partialLength;

        /// <param name="maxLines">Lines kept; later ones are counted and dropped.</param>
        public LoopbackSerialPort(int maxLines)
        {
            // Every element written: nanoCLR crashes comparing a string[] element that was never written.
            _lines = new string[maxLines];
            for (int i = 0; i < maxLines; i++)
            {
                _lines[i] = string.Empty;
            }
        }

        public int LineCount { get; private set; }

        /// <summary>The controller sends these ASCII characters.</summary>
        public void Send(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                _input[_inputEnd++] = (byte)text[i];
            }
        }

        /// <summary>The index-th line the terminal wrote, without CR LF; empty past the kept lines.</summary>
        public string LineAt(int index)
        {
            return index < _lines.Length ? _lines[index] : string.Empty;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = _inputEnd - _inputStart;
            if (n > count)
            {
                n = count;
            }

            System.Array.Copy(_input, _inputStart, buffer, offset, n);
            _inputStart += n;
            if (_inputStart == _inputEnd)
            {
                _inputStart = 0;
                _inputEnd = 0;
            }

            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                if (b == (byte)'\n')
                {
                    EndLine();
                }
                else if (b != (byte)'\r')
                {
                    _partial[_partialLength++] = b;
                }
            }
        }

        private void EndLine()
        {
            if (LineCount < _lines.Length)
            {
                _lines[LineCount] = Utf8.Decode(_partial, 0, _partialLength);
            }

            LineCount++;
            _partialLength = 0;
        }
    }
}
