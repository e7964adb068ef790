namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// SSD1306 128x64: 8 pages x 128 columns of GDDRAM; page, horizontal and vertical addressing with the 21h/22h
/// windows and their wrap-around (datasheet 10.1.3-10.1.5). Page-mode commands (B0h-B7h, 00h-1Fh) in another
/// mode throw, because the datasheet defines them for page mode only.
/// </summary>
public sealed class Ssd1306Model : OledModel
{
    public Ssd1306Model()
        : base(0x7F)
    {
        // Power-up RAM content is undefined; make it visible garbage.
        new Random(1306).NextBytes(Ram);
    }

    public byte[] Ram { get; } = new byte[128 * 8];

    public int Mode { get; private set; } = 2; // reset: page addressing

    public int Column { get; private set; }

    public int Page { get; private set; }

    public int ColumnStart { get; private set; }

    public int ColumnEnd { get; private set; } = 127;

    public int PageStart { get; private set; }

    public int PageEnd { get; private set; } = 7;

    public bool ChargePump { get; private set; }

    protected override byte VisibleByte(int page, int x) => Ram[page * 128 + x];

    protected override int CommandLength(byte opcode)
    {
        switch (opcode)
        {
            case <= 0x1F: return 1;
            case 0x20: return 2;
            case 0x21: case 0x22: return 3;
            case 0x26: case 0x27: return 7;
            case 0x29: case 0x2A: return 6;
            case 0x2E: case 0x2F: return 1;
            case >= 0x40 and <= 0x7F: return 1;
            case 0x81: case 0x8D: return 2;
            case 0xA0: case 0xA1: return 1;
            case 0xA3: return 3;
            case 0xA4: case 0xA5: case 0xA6: case 0xA7: return 1;
            case 0xA8: return 2;
            case 0xAE: case 0xAF: return 1;
            case >= 0xB0 and <= 0xB7: return 1;
            case 0xC0: case 0xC8: return 1;
            case 0xD3: case 0xD5: case 0xD9: case 0xDA: case 0xDB: return 2;
            case 0xE3: return 1;
            default: throw new InvalidDataException($"not an SSD1306 command: {opcode:X2}");
        }
    }

    protected override void Execute(byte[] c)
    {
        byte op = c[0];
        switch (op)
        {
            case <= 0x0F:
                RequirePageMode(op);
                Column = (Column & 0xF0) | op;
                break;
            case <= 0x1F:
                RequirePageMode(op);
                if ((op & 0x0F) > 7)
                {
                    throw new InvalidDataException($"column high nibble {op & 0x0F} beyond 127");
                }

                Column = (Column & 0x0F) | ((op & 0x0F) << 4);
                break;
            case 0x20:
                if (c[1] > 2)
                {
                    throw new InvalidDataException($"invalid addressing mode {c[1]:X2}");
                }

                Mode = c[1];
                break;
            case 0x21:
                ColumnStart = c[1] & 0x7F;
                ColumnEnd = c[2] & 0x7F;
                Column = ColumnStart;
                break;
            case 0x22:
                PageStart = c[1] & 0x07;
                PageEnd = c[2] & 0x07;
                Page = PageStart;
                break;
            case >= 0xB0 and <= 0xB7:
                RequirePageMode(op);
                Page = op & 0x07;
                break;
            case 0x81:
                Contrast = c[1];
                break;
            case 0x8D:
                ChargePump = (c[1] & 0x04) != 0;
                break;
            case 0xA6:
            case 0xA7:
                Inverted = op == 0xA7;
                break;
            case 0xAE:
            case 0xAF:
                DisplayOn = op == 0xAF;
                break;
        }
    }

    private void RequirePageMode(byte op)
    {
        if (Mode != 2)
        {
            throw new InvalidDataException($"page-mode command {op:X2} sent in addressing mode {Mode}");
        }
    }

    protected override void Data(byte b)
    {
        Ram[Page * 128 + Column] = b;
        switch (Mode)
        {
            case 0: // horizontal
                if (++Column > ColumnEnd)
                {
                    Column = ColumnStart;
                    if (++Page > PageEnd)
                    {
                        Page = PageStart;
                    }
                }

                break;
            case 1: // vertical
                if (++Page > PageEnd)
                {
                    Page = PageStart;
                    if (++Column > ColumnEnd)
                    {
                        Column = ColumnStart;
                    }
                }

                break;
            default: // page
                Column = (Column + 1) & 0x7F;
                break;
        }
    }
}
