namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// A byte-level model of a 240x320 colour LCD controller on 4-line SPI (one byte with D/CX low is a command, bytes
/// with D/CX high are its parameters or pixel data), written from the controllers' datasheets and independent of
/// the drivers: it keeps its own RAM of 240 columns x 320 rows of RGB565 pixels and interprets CASET/RASET windows,
/// RAMWR streams with the MADCTL row/column exchange and mirrors (datasheets' "memory data write/read direction":
/// MV exchanges the counters, then MX mirrors the physical column and MY the physical row), COLMOD, sleep, display
/// on/off and inversion. It is strict: an unknown command, a wrong parameter count, data without a command, pixel
/// data before a 16-bit pixel format, a window outside the RAM, more pixels than the window holds, half a pixel at a
/// command, and (with a <see cref="Clock"/>) a command inside a settling time after reset, sleep out or sleep in all
/// throw <see cref="InvalidDataException"/> (also counted in <see cref="ProtocolErrors"/>). Thread-safe: one writer,
/// any number of viewers. A write allocates nothing unless <see cref="KeepLog"/> is set.
/// </summary>
public abstract class TftModel
{
    public const int RamColumns = 240;
    public const int RamRows = 320;

    private const byte MemoryWrite = 0x2C;

    private readonly object _gate = new();
    private readonly byte[] _parameters = new byte[32];
    private readonly int _panelHeight;
    private readonly bool _bgrPanel;
    private readonly bool _invertedPanel;
    private int _command = -1;
    private int _expected;
    private int _received;
    private int _pixelHigh = -1;
    private int _column;
    private int _row;
    private long _quietUntil;
    private long _sleepInAllowedAt;
    private long _sleepOutAllowedAt;
    private bool _cutOff;

    /// <param name="panelHeight">Rows of glass: 240 (a square module) or 320.</param>
    /// <param name="bgrPanel">The glass has a BGR colour filter: colours are right with MADCTL's BGR bit set.</param>
    /// <param name="invertedPanel">The glass shows the colours right only with inversion on (IPS modules).</param>
    protected TftModel(int panelHeight, bool bgrPanel, bool invertedPanel)
    {
        if (panelHeight != 240 && panelHeight != 320)
        {
            throw new ArgumentOutOfRangeException(nameof(panelHeight), "240x240 or 240x320 glass");
        }

        _panelHeight = panelHeight;
        _bgrPanel = bgrPanel;
        _invertedPanel = invertedPanel;
        var random = new Random(panelHeight * 7 + (bgrPanel ? 1 : 0));
        for (int i = 0; i < Ram.Length; i++)
        {
            Ram[i] = (ushort)random.Next(0x10000); // power-up RAM content is undefined: visible garbage
        }
    }

    /// <summary>Physical RAM, <c>[row * 240 + column]</c>, RGB565 as written.</summary>
    public ushort[] Ram { get; } = new ushort[RamColumns * RamRows];

    /// <summary>Glass size in its own orientation: 240 wide, <see cref="PanelHeight"/> tall.</summary>
    public int PanelHeight => _panelHeight;

    /// <summary>Milliseconds now; when set, the settling times after SWRESET, SLPOUT and SLPIN are enforced.</summary>
    public Func<long>? Clock { get; set; }

    /// <summary>Decides the fault for the n-th write (0-based, every attempt counted).</summary>
    public Func<int, WriteFault> Faults { get; set; } = _ => WriteFault.None;

    public bool KeepLog { get; set; }

    /// <summary>Every complete command (opcode, parameters; RAMWR without its pixels) while <see cref="KeepLog"/> is set.</summary>
    public List<byte[]> Commands { get; } = new();

    public int Writes { get; private set; }

    /// <summary>Bytes clocked out on MOSI (commands, parameters, pixels; failed writes too).</summary>
    public long WireBytes { get; private set; }

    public long PixelsWritten { get; private set; }

    public int ProtocolErrors { get; private set; }

    public string? LastProtocolError { get; private set; }

    public Action<string>? ProtocolErrorSeen { get; set; }

    /// <summary>Counts writes the controller took (a viewer redraws when it changes).</summary>
    public int Version { get; private set; }

    public bool Sleeping { get; private set; } = true;

    public bool DisplayOn { get; private set; }

    public bool InversionOn { get; private set; }

    public int MemoryAccess { get; private set; }

    /// <summary>COLMOD; reset 66h (18 bits per pixel).</summary>
    public int PixelFormat { get; private set; } = 0x66;

    public int ColumnStart { get; private set; }

    public int ColumnEnd { get; private set; } = RamColumns - 1;

    public int RowStart { get; private set; }

    public int RowEnd { get; private set; } = RamRows - 1;

    public void ResetCounters()
    {
        lock (_gate)
        {
            Writes = 0;
            WireBytes = 0;
            PixelsWritten = 0;
            Commands.Clear();
        }
    }

    /// <summary>One chip-select transaction with D/CX low (<paramref name="data"/> false) or high; false when the binding "failed".</summary>
    public bool Write(byte[] buffer, int offset, int count, bool data)
    {
        lock (_gate)
        {
            WriteFault fault = Faults(Writes);
            Writes++;
            WireBytes += count;
            try
            {
                switch (fault)
                {
                    case WriteFault.Nack:
                        return false;
                    case WriteFault.Throw:
                        throw new IOException("simulated SPI bus error");
                    case WriteFault.Partial:
                        Receive(buffer, offset, count / 2, data);
                        _cutOff = true; // the transfer broke off: the next command may find this one unfinished
                        return false;
                    default:
                        Receive(buffer, offset, count, data);
                        Version++;
                        return true;
                }
            }
            catch (InvalidDataException e)
            {
                ProtocolErrors++;
                LastProtocolError = e.Message;
                ProtocolErrorSeen?.Invoke(e.Message);
                throw;
            }
        }
    }

    /// <summary>
    /// The picture a viewer sees, <c>[y * width + x]</c> in RGB565, for the panel mounted upright
    /// (<paramref name="width"/> x <paramref name="height"/> = 240 x the glass height) or turned a quarter
    /// (the glass height x 240): black while asleep or off; colour order and inversion as the glass shows them.
    /// </summary>
    public int[] Picture(int width, int height)
    {
        bool turned = width == _panelHeight && height == RamColumns && width != height;
        if (!turned && (width != RamColumns || height != _panelHeight))
        {
            throw new ArgumentException($"a {RamColumns}x{_panelHeight} panel is not viewed as {width}x{height}");
        }

        var picture = new int[width * height];
        lock (_gate)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    // Turned a quarter: the viewer's x runs down the glass, y from its right edge leftwards.
                    int gx = turned ? RamColumns - 1 - y : x;
                    int gy = turned ? x : y;
                    picture[y * width + x] = Shown(GlassPixel(gx, gy));
                }
            }
        }

        return picture;
    }

    /// <summary>Parameter bytes of <paramref name="command"/>, RAMWR excepted; throws for a command the controller lacks.</summary>
    protected abstract int ParameterCount(byte command);

    /// <summary>Physical RAM (column, row) shown at glass pixel (gx, gy) of this module.</summary>
    protected abstract int GlassColumn(int gx);

    /// <summary>Parameters of other commands than the shared ones, to be checked (the buffer is reused).</summary>
    protected virtual void Configure(byte command, byte[] parameters)
    {
    }

    private int GlassPixel(int gx, int gy) => Ram[gy * RamColumns + GlassColumn(gx)];

    private int Shown(int colour)
    {
        if (Sleeping || !DisplayOn)
        {
            return 0;
        }

        bool bgrBit = (MemoryAccess & 0x08) != 0;
        if (bgrBit != _bgrPanel)
        {
            colour = ((colour & 0x1F) << 11) | (colour & 0x07E0) | ((colour >> 11) & 0x1F);
        }

        return InversionOn != _invertedPanel ? ~colour & 0xFFFF : colour;
    }

    private void Receive(byte[] bytes, int offset, int count, bool data)
    {
        for (int i = offset; i < offset + count; i++)
        {
            if (data)
            {
                DataByte(bytes[i]);
            }
            else
            {
                CommandByte(bytes[i]);
            }
        }
    }

    private void CommandByte(byte command)
    {
        // A command ends whatever came before it; an unfinished one is an error unless a transfer broke off.
        if (_command >= 0 && _command != MemoryWrite && _received < _expected && !_cutOff)
        {
            throw new InvalidDataException($"command {command:X2} after {_received} of the {_expected} parameters of {_command:X2}");
        }

        if (_pixelHigh >= 0 && !_cutOff)
        {
            throw new InvalidDataException($"command {command:X2} after half a pixel");
        }

        _cutOff = false;
        _pixelHigh = -1;

        long now = Clock?.Invoke() ?? 0;
        if (Clock != null && now < _quietUntil)
        {
            throw new InvalidDataException($"command {command:X2} {_quietUntil - now} ms too early: the controller is settling after reset or sleep in/out");
        }

        _command = command;
        _received = 0;
        _expected = command == MemoryWrite ? 0 : ParameterCount(command);
        switch (command)
        {
            case 0x01: // SWRESET: reset values, sleep in, display off; 5 ms before the next command, 120 ms before SLPOUT
                Sleeping = true;
                DisplayOn = false;
                InversionOn = false;
                MemoryAccess = 0;
                PixelFormat = 0x66;
                ColumnStart = 0;
                ColumnEnd = RamColumns - 1;
                RowStart = 0;
                RowEnd = RamRows - 1;
                _quietUntil = now + 5;
                _sleepOutAllowedAt = now + 120;
                break;
            case 0x10: // SLPIN: 120 ms after a SLPOUT; 5 ms before the next command
                if (Clock != null && now < _sleepInAllowedAt)
                {
                    throw new InvalidDataException($"SLPIN {_sleepInAllowedAt - now} ms too early after SLPOUT");
                }

                Sleeping = true;
                _quietUntil = now + 5;
                _sleepOutAllowedAt = now + 120;
                break;
            case 0x11: // SLPOUT: 120 ms after SWRESET or SLPIN; 5 ms before the next command, 120 ms before SLPIN
                if (Clock != null && now < _sleepOutAllowedAt)
                {
                    throw new InvalidDataException($"SLPOUT {_sleepOutAllowedAt - now} ms too early after reset or sleep in");
                }

                Sleeping = false;
                _quietUntil = now + 5;
                _sleepInAllowedAt = now + 120;
                break;
            case 0x20:
            case 0x21:
                InversionOn = command == 0x21;
                break;
            case 0x28:
            case 0x29:
                DisplayOn = command == 0x29;
                break;
            case MemoryWrite:
                if ((PixelFormat & 0x07) != 0x05)
                {
                    throw new InvalidDataException($"RAMWR with pixel format {PixelFormat:X2}: the model takes 16 bits per pixel only");
                }

                _column = ColumnStart;
                _row = RowStart;
                Log();
                break;
        }

        if (_expected == 0 && command != MemoryWrite)
        {
            Log();
        }
    }

    private void DataByte(byte b)
    {
        if (_command < 0)
        {
            throw new InvalidDataException($"data byte {b:X2} without a command");
        }

        if (_command == MemoryWrite)
        {
            Pixel(b);
            return;
        }

        if (_received == _expected)
        {
            throw new InvalidDataException($"command {_command:X2} takes {_expected} parameters; got more");
        }

        _parameters[_received++] = b;
        if (_received == _expected)
        {
            Execute((byte)_command);
            Log();
        }
    }

    private void Execute(byte command)
    {
        byte[] p = _parameters;
        switch (command)
        {
            case 0x2A:
            case 0x2B:
                int start = (p[0] << 8) | p[1];
                int end = (p[2] << 8) | p[3];
                bool exchanged = (MemoryAccess & 0x20) != 0;
                int limit = (command == 0x2A) != exchanged ? RamColumns : RamRows;
                if (start > end || end >= limit)
                {
                    throw new InvalidDataException($"{(command == 0x2A ? "CASET" : "RASET")} {start}..{end} outside 0..{limit - 1} (MADCTL {MemoryAccess:X2})");
                }

                if (command == 0x2A)
                {
                    ColumnStart = start;
                    ColumnEnd = end;
                }
                else
                {
                    RowStart = start;
                    RowEnd = end;
                }

                break;
            case 0x36:
                if ((p[0] & 0x03) != 0)
                {
                    throw new InvalidDataException($"MADCTL {p[0]:X2} sets reserved bits");
                }

                MemoryAccess = p[0];
                break;
            case 0x3A:
                if (p[0] != 0x55 && p[0] != 0x66)
                {
                    throw new InvalidDataException($"COLMOD {p[0]:X2} is not a format the model takes (55h, 66h)");
                }

                PixelFormat = p[0];
                break;
            default:
                Configure(command, p);
                break;
        }
    }

    private void Pixel(byte b)
    {
        if (_pixelHigh < 0)
        {
            _pixelHigh = b;
            return;
        }

        if (_row > RowEnd)
        {
            throw new InvalidDataException($"pixel data beyond the window {ColumnStart}..{ColumnEnd} x {RowStart}..{RowEnd}");
        }

        int column = _column;
        int row = _row;
        if ((MemoryAccess & 0x20) != 0)
        {
            (column, row) = (row, column);
        }

        if ((MemoryAccess & 0x40) != 0)
        {
            column = RamColumns - 1 - column;
        }

        if ((MemoryAccess & 0x80) != 0)
        {
            row = RamRows - 1 - row;
        }

        Ram[row * RamColumns + column] = (ushort)((_pixelHigh << 8) | b);
        _pixelHigh = -1;
        PixelsWritten++;
        if (++_column > ColumnEnd)
        {
            _column = ColumnStart;
            _row++;
        }
    }

    private void Log()
    {
        if (KeepLog)
        {
            var entry = new byte[1 + _received];
            entry[0] = (byte)_command;
            Array.Copy(_parameters, 0, entry, 1, _received);
            Commands.Add(entry);
        }
    }
}
