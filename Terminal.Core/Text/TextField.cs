namespace Terminal.Core.Text
{
    /// <summary>
    /// A fixed-capacity text value kept as bytes (ASCII or UTF-8), so that ids and codes move between
    /// responses, the journal and requests without creating strings. <see cref="ToString"/> is for the edges.
    /// </summary>
    public sealed class TextField
    {
        private readonly byte[] _bytes;
        private int _length;

        public TextField(int capacity)
        {
            _bytes = new byte[capacity];
        }

        public int Capacity
        {
            get { return _bytes.Length; }
        }

        public int Length
        {
            get { return _length; }
        }

        public bool IsEmpty
        {
            get { return _length == 0; }
        }

        /// <summary>The storage; bytes past <see cref="Length"/> are meaningless.</summary>
        public byte[] Bytes
        {
            get { return _bytes; }
        }

        public void Clear()
        {
            _length = 0;
        }

        /// <summary>Copies the bytes; returns false (and leaves the field empty) when they do not fit.</summary>
        public bool Set(byte[] source, int offset, int count)
        {
            if (count > _bytes.Length || count < 0)
            {
                _length = 0;
                return false;
            }

            System.Array.Copy(source, offset, _bytes, 0, count);
            _length = count;
            return true;
        }

        public bool Set(TextField other)
        {
            return Set(other._bytes, 0, other._length);
        }

        /// <summary>Copies an ASCII string (chars above 0x7F are refused); false when it does not fit.</summary>
        public bool SetAscii(string text)
        {
            _length = 0;
            if (text == null)
            {
                return true;
            }

            if (text.Length > _bytes.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > 0x7F)
                {
                    return false;
                }

                _bytes[i] = (byte)c;
            }

            _length = text.Length;
            return true;
        }

        /// <summary>Sets the length after the caller wrote into <see cref="Bytes"/> directly.</summary>
        public void SetLength(int length)
        {
            if (length < 0 || length > _bytes.Length)
            {
                throw new System.ArgumentOutOfRangeException("length");
            }

            _length = length;
        }

        public bool Equals(TextField other)
        {
            return other != null && EqualsBytes(other._bytes, 0, other._length);
        }

        public bool EqualsBytes(byte[] data, int offset, int count)
        {
            if (count != _length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (_bytes[i] != data[offset + i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Ordinal comparison with an ASCII string.</summary>
        public bool EqualsAscii(string text)
        {
            if (text == null || text.Length != _length)
            {
                return false;
            }

            for (int i = 0; i < _length; i++)
            {
                if (_bytes[i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Copies the value to <paramref name="destination"/>; returns the byte count.</summary>
        public int CopyTo(byte[] destination, int offset)
        {
            System.Array.Copy(_bytes, 0, destination, offset, _length);
            return _length;
        }

        /// <summary>Creates a string (allocates): for display, logs and results only. Non-ASCII bytes become '?'.</summary>
        public override string ToString()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                byte b = _bytes[i];
                chars[i] = b < 0x80 ? (char)b : '?';
            }

            return new string(chars);
        }

        public override bool Equals(object obj)
        {
            return Equals(obj as TextField);
        }

        public override int GetHashCode()
        {
            int hash = _length;
            for (int i = 0; i < _length; i++)
            {
                hash = (hash * 31) + _bytes[i];
            }

            return hash;
        }
    }
}
