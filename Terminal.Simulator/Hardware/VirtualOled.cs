using Terminal.Drivers.Ports;

namespace Terminal.Simulator.Hardware;

/// <summary>The controller behind a <see cref="VirtualOled"/>: where its RAM columns sit on the glass.</summary>
public enum OledController
{
    /// <summary>SSD1306: 128 RAM columns, all visible.</summary>
    Ssd1306,

    /// <summary>SH1106: 132 RAM columns, the glass shows columns 2..129.</summary>
    Sh1106,
}

/// <summary>
/// A 128x64 OLED module on the I2C bus, interpreting the bytes the real display driver sends (control byte 0x00 =
/// command stream, 0x40 = data stream) into display RAM: 8 pages x columns, bit 0 = the page's top row. It follows
/// the memory addressing modes (page, horizontal, vertical), the column/page windows (21h/22h), the page-mode
/// pointers (B0h-B7h, 00h-1Fh), display on/off and inversion; other commands are skipped with their arguments.
/// So the simulator shows what the firmware actually sent, not what it meant to send.
/// </summary>
public sealed class VirtualOled : II2cBus
{
    public const int Width = 128;
    public const int Height = 64;
    private const int Pages = 8;

    private readonly object _gate = new();
    private readonly int _ramColumns;
    private readonly int _firstVisible;
    private readonly byte[] _ram;
    private int _mode = 2;       // page addressing after reset
    private int _column;
    private int _page;
    private int _columnStart;
    private int _columnEnd;
    private int _pageStart;
    private int _pageEnd = Pages - 1;
    private int _pendingCommand = -1;
    private int _argumentsLeft;
    private readonly byte[] _arguments = new byte[8];
    private int _argumentCount;

    public VirtualOled(OledController controller = OledController.Ssd1306)
    {
        Controller = controller;
        _ramColumns = controller == OledController.Sh1106 ? 132 : 128;
        _firstVisible = controller == OledController.Sh1106 ? 2 : 0;
        _ram = new byte[Pages * _ramColumns];
        _columnEnd = _ramColumns - 1;
    }

    public OledController Controller { get; }

    /// <summary>False: every write is NACKed (the module is unplugged or unpowered).</summary>
    public bool Connected { get; set; } = true;

    public bool DisplayOn { get; private set; }

    public bool Inverted { get; private set; }

    public int Contrast { get; private set; } = 0x7F;

    /// <summary>Counts writes that changed what the glass shows.</summary>
    public int Version { get; private set; }

    public int Writes { get; private set; }

    public bool Write(byte[] buffer, int offset, int count)
    {
        if (!Connected || count < 1)
        {
            return false;
        }

        lock (_gate)
        {
            Writes++;
            byte control = buffer[offset];
            if (control == 0x40)
            {
                for (int i = 1; i < count; i++)
                {
                    WriteData(buffer[offset + i]);
                }

                Version++;
            }
            else if (control == 0x00 || control == 0x80)
            {
                for (int i = 1; i < count; i++)
                {
                    Command(buffer[offset + i]);
                }

                Version++;
            }

            return true;
        }
    }

    /// <summary>The pixel as the glass shows it (inversion and display-off applied).</summary>
    public bool IsLit(int x, int y)
    {
        lock (_gate)
        {
            if (!DisplayOn)
            {
                return false;
            }

            bool on = (_ram[(y >> 3) * _ramColumns + x + _firstVisible] & (1 << (y & 7))) != 0;
            return on != Inverted;
        }
    }

    /// <summary>Copies the visible picture as rows of pixels: <c>pixels[y * 128 + x]</c> = lit.</summary>
    public bool[] Snapshot()
    {
        var pixels = new bool[Width * Height];
        lock (_gate)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    bool on = (_ram[(y >> 3) * _ramColumns + x + _firstVisible] & (1 << (y & 7))) != 0;
                    pixels[y * Width + x] = DisplayOn && (on != Inverted);
                }
            }
        }

        return pixels;
    }

    private void WriteData(byte value)
    {
        _ram[_page * _ramColumns + _column] = value;
        switch (_mode)
        {
            case 0: // horizontal: along the window's columns, then the next page
                if (++_column > _columnEnd)
                {
                    _column = _columnStart;
                    _page = _page >= _pageEnd ? _pageStart : _page + 1;
                }

                break;
            case 1: // vertical: down the window's pages, then the next column
                if (++_page > _pageEnd)
                {
                    _page = _pageStart;
                    _column = _column >= _columnEnd ? _columnStart : _column + 1;
                }

                break;
            default: // page: along the page, stopping at its end
                if (_column < _ramColumns - 1)
                {
                    _column++;
                }

                break;
        }
    }

    private void Command(byte b)
    {
        if (_argumentsLeft > 0)
        {
            _arguments[_argumentCount++] = b;
            if (--_argumentsLeft == 0)
            {
                Apply(_pendingCommand);
            }

            return;
        }

        int arguments = ArgumentCount(b);
        if (arguments > 0)
        {
            _pendingCommand = b;
            _argumentsLeft = arguments;
            _argumentCount = 0;
            return;
        }

        if (b <= 0x0F && _mode == 2)
        {
            _column = (_column & 0xF0) | b;
        }
        else if (b >= 0x10 && b <= 0x1F && _mode == 2)
        {
            _column = Math.Min(_ramColumns - 1, ((b & 0x0F) << 4) | (_column & 0x0F));
        }
        else if (b >= 0xB0 && b <= 0xB7)
        {
            _page = b & 0x07;
        }
        else if (b == 0xAE || b == 0xAF)
        {
            DisplayOn = b == 0xAF;
        }
        else if (b == 0xA6 || b == 0xA7)
        {
            Inverted = b == 0xA7;
        }
    }

    private void Apply(int command)
    {
        switch (command)
        {
            case 0x20:
                _mode = _arguments[0] & 0x03;
                break;
            case 0x21:
                _columnStart = Math.Min(_arguments[0] & 0x7F, _ramColumns - 1);
                _columnEnd = Math.Min(_arguments[1] & 0x7F, _ramColumns - 1);
                _column = _columnStart;
                break;
            case 0x22:
                _pageStart = _arguments[0] & 0x07;
                _pageEnd = _arguments[1] & 0x07;
                _page = _pageStart;
                break;
            case 0x81:
                Contrast = _arguments[0];
                break;
        }
    }

    // Arguments of the SSD1306/SH1106 commands that have any (datasheets' command tables).
    private int ArgumentCount(byte b)
    {
        switch (b)
        {
            case 0x20:
                return Controller == OledController.Ssd1306 ? 1 : 0;
            case 0x21:
            case 0x22:
                return Controller == OledController.Ssd1306 ? 2 : 0;
            case 0x81:
            case 0x8D:
            case 0xA8:
            case 0xAD:
            case 0xD3:
            case 0xD5:
            case 0xD9:
            case 0xDA:
            case 0xDB:
                return 1;
            case 0x26:
            case 0x27:
                return 6;
            case 0x29:
            case 0x2A:
                return 5;
            case 0xA3:
                return 2;
            default:
                return 0;
        }
    }
}
