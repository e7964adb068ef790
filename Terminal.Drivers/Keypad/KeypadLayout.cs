namespace Terminal.Drivers.Keypad
{
    /// <summary>
    /// What is printed on each key of a membrane keypad, row by row as seen from the front: bit
    /// <c>row * Columns + column</c> of an <see cref="IKeyMatrix"/> reading is the key at that place in
    /// <see cref="Keys"/>. The common 4x4 and 3x4 membranes (rows on the first four pins of their ribbon, columns on
    /// the rest; hardware/README.md).
    /// </summary>
    public sealed class KeypadLayout
    {
        /// <summary>The 4x4 membrane: digits, A-D down the right, * 0 # along the bottom.</summary>
        public const string Keys4x4 = "123A456B789C*0#D";

        /// <summary>The 3x4 telephone membrane.</summary>
        public const string Keys3x4 = "123456789*0#";

        private readonly string _keys;

        /// <param name="keys">The keys row by row; its length is rows x columns.</param>
        public KeypadLayout(int rows, int columns, string keys)
        {
            if (rows < 1 || rows > 4 || columns < 1 || columns > 4)
            {
                throw new System.ArgumentOutOfRangeException("rows", "a matrix of at most 4 rows and 4 columns");
            }

            if (keys == null || keys.Length != rows * columns)
            {
                throw new System.ArgumentException("one key per row and column", "keys");
            }

            Rows = rows;
            Columns = columns;
            _keys = keys;
        }

        public int Rows { get; private set; }

        public int Columns { get; private set; }

        /// <summary>The keys row by row.</summary>
        public string Keys
        {
            get { return _keys; }
        }

        /// <summary>The 4x4 keypad.</summary>
        public static KeypadLayout FourByFour()
        {
            return new KeypadLayout(4, 4, Keys4x4);
        }

        /// <summary>The 3x4 keypad.</summary>
        public static KeypadLayout ThreeByFour()
        {
            return new KeypadLayout(4, 3, Keys3x4);
        }

        /// <summary>The key at matrix bit <paramref name="bit"/>.</summary>
        public char KeyAt(int bit)
        {
            return _keys[bit];
        }

        /// <summary>The matrix bit of <paramref name="key"/>, or -1 when the keypad has no such key.</summary>
        public int BitOf(char key)
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
