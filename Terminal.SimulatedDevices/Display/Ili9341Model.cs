namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// ILI9341 (Ilitek datasheet V1.11, sections 8.2 "Level 1 command", 8.3 "Level 2 command", 8.4 "Extended register
/// command"): the commands with their parameter counts. The model's glass is a 240x320 TN module as sold: BGR colour
/// filter, colours right with inversion off, RAM column c shown at glass column 239 - c (so these modules show an
/// upright picture with MADCTL's column order mirrored).
/// </summary>
public sealed class Ili9341Model : TftModel
{
    public Ili9341Model()
        : base(320, bgrPanel: true, invertedPanel: false)
    {
    }

    protected override int GlassColumn(int gx) => RamColumns - 1 - gx;

    protected override int ParameterCount(byte command) => command switch
    {
        0x00 or 0x01 or 0x10 or 0x11 or 0x12 or 0x13 or 0x20 or 0x21 or 0x28 or 0x29 or 0x38 or 0x39 => 0,
        0x26 or 0x36 or 0x3A or 0xC0 or 0xC1 or 0xC7 or 0xF2 or 0xF7 => 1,
        0x2A or 0x2B or 0x30 => 4,
        0xB1 or 0xC5 or 0xEA => 2,     // frame rate, VCOM 1, driver timing B
        0xB6 => 3,                     // display function control (the fourth, optional parameter is not sent)
        0xCF or 0xE8 => 3,             // power control B, driver timing A
        0xCB => 5,                     // power control A
        0xED => 4,                     // power on sequence
        0xE0 or 0xE1 => 15,            // gamma corrections
        _ => throw new InvalidDataException($"not an ILI9341 command: {command:X2}"),
    };

    protected override void Configure(byte command, byte[] parameters)
    {
        if (command == 0xB6 && (parameters[2] & 0x3F) != 0x27)
        {
            throw new InvalidDataException($"display function control sets {((parameters[2] & 0x3F) + 1) * 8} lines; the panel has 320");
        }
    }
}
