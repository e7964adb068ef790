namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// SH1106: 8 pages x 132 columns of RAM, page addressing only, the panel showing RAM columns 2..129. Only SH1106
/// commands are accepted (SSD1306-only ones such as 20h/21h/22h/8Dh/2Eh throw); writing past column 131 throws
/// because the column counter does not wrap (SH1106 datasheet, command 1/2).
/// </summary>
public sealed class Sh1106Model : OledModel
{
    public const int Columns = 132;
    public const int Offset = 2;

    public Sh1106Model()
        : base(0x80)
    {
        new Random(1106).NextBytes(Ram);
    }

    public byte[] Ram { get; } = new byte[Columns * 8];

    public int Column { get; private set; }

    public int Page { get; private set; }

    protected override byte VisibleByte(int page, int x) => Ram[page * Columns + Offset + x];

    protected override int CommandLength(byte opcode)
    {
        switch (opcode)
        {
            case <= 0x1F: return 1;
            case >= 0x30 and <= 0x33: return 1;
            case >= 0x40 and <= 0x7F: return 1;
            case 0x81: return 2;
            case 0xA0: case 0xA1: case 0xA4: case 0xA5: case 0xA6: case 0xA7: return 1;
            case 0xA8: case 0xAD: return 2;
            case 0xAE: case 0xAF: return 1;
            case >= 0xB0 and <= 0xB7: return 1;
            case 0xC0: case 0xC8: return 1;
            case 0xD3: case 0xD5: case 0xD9: case 0xDA: case 0xDB: return 2;
            case 0xE0: case 0xE3: case 0xEE: return 1;
            default: throw new InvalidDataException($"not an SH1106 command: {opcode:X2}");
        }
    }

    protected override void Execute(byte[] c)
    {
        byte op = c[0];
        switch (op)
        {
            case <= 0x0F:
                Column = (Column & 0xF0) | op;
                break;
            case <= 0x1F:
                Column = (Column & 0x0F) | ((op & 0x0F) << 4);
                break;
            case 0xAD:
                if (c[1] != 0x8A && c[1] != 0x8B)
                {
                    throw new InvalidDataException($"DC-DC mode byte must be 8A/8B, was {c[1]:X2}");
                }

                break;
            case >= 0xB0 and <= 0xB7:
                Page = op & 0x07;
                break;
            case 0x81:
                Contrast = c[1];
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

    protected override void Data(byte b)
    {
        if (Column >= Columns)
        {
            throw new InvalidDataException($"data written at column {Column}, beyond the 132-column RAM");
        }

        Ram[Page * Columns + Column] = b;
        Column++;
    }
}
