namespace Terminal.Drivers.Display.Ili9341
{
    /// <summary>
    /// Power-up of an ILI9341 240x320 TFT module (Ilitek ILI9341 datasheet V1.11; section numbers below are that
    /// document's): reset, the power and VCOM settings TN modules are sold with, 16-bit pixels, frame rate and
    /// display function, then sleep out. Gamma stays at the controller's reset curves. The driver follows this table
    /// with MADCTL, INVOFF, NORON and DISPON (<see cref="Tft.TftDriver"/>).
    /// Entry format: command, parameter count (bit 7 set: a pause in ms follows the parameters), parameters.
    /// </summary>
    public static class Ili9341InitSequence
    {
        public static readonly byte[] Table =
        {
            0x01, 0x80, 120,  // 8.2.2 Software Reset; wait 120 ms (5 ms before any command, 120 ms before Sleep Out)
            0xC0, 0x01,       // 8.3.16 Power Control 1:
            0x23,             //   VRH[5:0] = 23h: GVDD = 4.60 V
            0xC1, 0x01,       // 8.3.17 Power Control 2:
            0x10,             //   BT[2:0] = 000: VGH = 6 x VCI, VGL = -4 x VCI (step-up factors)
            0xC5, 0x02,       // 8.3.18 VCOM Control 1:
            0x3E,             //   VMH[6:0] = 3Eh: VCOMH = 4.250 V
            0x28,             //   VML[6:0] = 28h: VCOML = -1.500 V
            0xC7, 0x01,       // 8.3.19 VCOM Control 2:
            0x86,             //   nVM = 1 (use VMF), VMF[6:0] = 06h: VCOMH and VCOML offset VMH - 58, VML - 58
            0x3A, 0x01,       // 8.2.33 COLMOD: Pixel Format Set:
            0x55,             //   DPI[2:0] = 101 and DBI[2:0] = 101: 16 bits per pixel on both interfaces
            0xB1, 0x02,       // 8.3.2 Frame Rate Control (In Normal Mode/Full Colors):
            0x00,             //   DIVA[1:0] = 00: internal clock fosc
            0x18,             //   RTNA[4:0] = 18h: 24 clocks per line, 79 Hz
            0xB6, 0x03,       // 8.3.7 Display Function Control:
            0x08,             //   PTG[1:0] = 10, PT[1:0] = 00: interval scan, non-display area at V63/V0
            0x82,             //   REV = 1 normally white, GS = 0, SS = 0, SM = 0, ISC[3:0] = 0010: scan cycle 5 frames
            0x27,             //   NL[5:0] = 27h: 320 lines
            0x26, 0x01,       // 8.2.17 Gamma Set:
            0x01,             //   GC[7:0] = 01h: gamma curve 1 (G2.2)
            0x11, 0x80, 120,  // 8.2.12 Sleep Out; wait 120 ms (5 ms before any command, 120 ms before Enter Sleep)
        };
    }
}
