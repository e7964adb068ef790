namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// ST7789 (Sitronix ST7789V datasheet, section 9 "Command"): the shared MIPI commands plus the panel settings the
/// datasheet lists in section 9.2 with their parameter counts. The model's glass is an IPS 240x240 or 240x320
/// module as sold: RGB colour filter, colours right with inversion on, RAM column c shown at glass column c.
/// </summary>
public sealed class St7789Model : TftModel
{
    public St7789Model(int panelHeight)
        : base(panelHeight, bgrPanel: false, invertedPanel: true)
    {
    }

    protected override int GlassColumn(int gx) => gx;

    protected override int ParameterCount(byte command) => command switch
    {
        0x00 or 0x01 or 0x10 or 0x11 or 0x12 or 0x13 or 0x20 or 0x21 or 0x28 or 0x29 or 0x38 or 0x39 => 0,
        0x26 or 0x36 or 0x3A => 1,     // GAMSET, MADCTL, COLMOD
        0x2A or 0x2B or 0x30 => 4,     // CASET, RASET, PTLAR
        0xB2 => 5,                     // PORCTRL
        0xB7 or 0xBB or 0xC0 or 0xC2 or 0xC3 or 0xC4 or 0xC6 => 1, // GCTRL, VCOMS, LCMCTRL, VDVVRHEN (first byte), VRHS, VDVS, FRCTRL2
        0xD0 => 2,                     // PWCTRL1
        0xE0 or 0xE1 => 14,            // PVGAMCTRL, NVGAMCTRL
        _ => throw new InvalidDataException($"not an ST7789 command: {command:X2}"),
    };
}
