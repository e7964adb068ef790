namespace Terminal.SimulatedDevices.Keypad;

/// <summary>
/// A PCF8574 I2C port expander with a membrane keypad on its pins, written from the NXP datasheet independently of
/// the driver: each byte of a write is latched onto P0-P7 in turn; each byte of a read is the pins' levels. A pin
/// latched 1 is a weak pull-up (quasi-bidirectional, datasheet section 8.1), a pin latched 0 sinks; a closed key
/// contact joins its row pin (P0-P3) and its column pin (P4-P7), and joined pins read low when any of them sinks.
/// Pressing three keys at the corners of a rectangle therefore shows the fourth, as on the real part.
/// <para>
/// Contacts bounce: for <see cref="BounceMs"/> after a key changes, each read finds its contact open or closed at
/// random (seeded). Unplugged (<see cref="Connected"/> false) the address is not acknowledged. Zero-length
/// transactions, which the part cannot take, are refused and counted as protocol errors. Thread-safe.
/// </para>
/// </summary>
public sealed class Pcf8574KeypadModel
{
    private readonly object _gate = new();
    private readonly string _keys;
    private readonly int _columns;
    private readonly Func<long> _clock;
    private readonly Random _random;
    private readonly bool[] _down;
    private readonly long[] _changedAt;

    /// <param name="keys">The keys row by row (e.g. "123A456B789C*0#D"), rows x columns of them.</param>
    /// <param name="clock">Monotonic milliseconds (for the bounce); the PC's tick count when null.</param>
    public Pcf8574KeypadModel(string keys, int rows, int columns, Func<long>? clock = null, int seed = 1)
    {
        if (keys.Length != rows * columns || rows > 4 || columns > 4)
        {
            throw new ArgumentException("one key per row and column, at most 4 x 4");
        }

        _keys = keys;
        _columns = columns;
        _clock = clock ?? (() => Environment.TickCount64);
        _random = new Random(seed);
        _down = new bool[keys.Length];
        _changedAt = new long[keys.Length];
        for (int i = 0; i < _changedAt.Length; i++)
        {
            _changedAt[i] = long.MinValue / 2;
        }
    }

    /// <summary>The 4x4 membrane: rows "123A", "456B", "789C", "*0#D".</summary>
    public static Pcf8574KeypadModel FourByFour(Func<long>? clock = null, int seed = 1) => new("123A456B789C*0#D", 4, 4, clock, seed);

    /// <summary>The 3x4 telephone membrane.</summary>
    public static Pcf8574KeypadModel ThreeByFour(Func<long>? clock = null, int seed = 1) => new("123456789*0#", 4, 3, clock, seed);

    /// <summary>False: every transaction is NACKed (the module is unplugged).</summary>
    public bool Connected { get; set; } = true;

    /// <summary>How long a contact chatters after it changes.</summary>
    public int BounceMs { get; set; }

    /// <summary>The output latch (power-on: all ones).</summary>
    public byte Latch { get; private set; } = 0xFF;

    public int Writes { get; private set; }

    public int Reads { get; private set; }

    public int ProtocolErrors { get; private set; }

    /// <summary>The keys printed on the keypad, row by row.</summary>
    public string Keys => _keys;

    /// <summary>Puts a finger on <paramref name="key"/>.</summary>
    public void Press(char key) => Set(key, true);

    /// <summary>Lifts the finger from <paramref name="key"/>.</summary>
    public void Release(char key) => Set(key, false);

    /// <summary>True while the key is held down.</summary>
    public bool IsDown(char key)
    {
        lock (_gate)
        {
            return _down[IndexOf(key)];
        }
    }

    /// <summary>One I2C write transaction: each byte is latched in turn; false when not acknowledged.</summary>
    public bool Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            if (!Connected)
            {
                return false;
            }

            if (count < 1)
            {
                ProtocolErrors++;
                return false;
            }

            Writes++;
            Latch = buffer[offset + count - 1];
            return true;
        }
    }

    /// <summary>One I2C read transaction: every byte is the pins' levels now; false when not acknowledged.</summary>
    public bool Read(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            if (!Connected)
            {
                return false;
            }

            if (count < 1)
            {
                ProtocolErrors++;
                return false;
            }

            Reads++;
            byte levels = Levels(_clock());
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = levels;
            }

            return true;
        }
    }

    private void Set(char key, bool down)
    {
        lock (_gate)
        {
            int i = IndexOf(key);
            if (_down[i] != down)
            {
                _down[i] = down;
                _changedAt[i] = _clock();
            }
        }
    }

    private int IndexOf(char key)
    {
        int i = _keys.IndexOf(key);
        return i >= 0 ? i : throw new ArgumentException($"this keypad has no key '{key}'");
    }

    /// <summary>Pin levels: joined pins (by closed contacts) read low when any of them is latched low.</summary>
    private byte Levels(long now)
    {
        Span<int> group = stackalloc int[8];
        for (int p = 0; p < 8; p++)
        {
            group[p] = p;
        }

        for (int k = 0; k < _keys.Length; k++)
        {
            bool closed = now - _changedAt[k] < BounceMs ? _random.Next(2) == 0 : _down[k];
            if (closed)
            {
                Join(group, k / _columns, 4 + (k % _columns));
            }
        }

        int result = 0;
        for (int p = 0; p < 8; p++)
        {
            bool low = false;
            for (int q = 0; q < 8 && !low; q++)
            {
                low = Root(group, q) == Root(group, p) && (Latch & (1 << q)) == 0;
            }

            if (!low)
            {
                result |= 1 << p;
            }
        }

        return (byte)result;
    }

    private static void Join(Span<int> group, int a, int b) => group[Root(group, a)] = Root(group, b);

    private static int Root(Span<int> group, int p)
    {
        while (group[p] != p)
        {
            p = group[p];
        }

        return p;
    }
}
