namespace Terminal.Drivers.Display.St7789
{
    /// <summary>
    /// Power-up of an ST7789 module (Sitronix ST7789V datasheet V1.x, section 9.1 "System function command";
    /// section numbers below are that document's). Only what differs from the reset values: the panel's voltages,
    /// porches and gamma come from the module maker's OTP settings, which the controller loads at reset. The driver
    /// follows this table with MADCTL, INVON, NORON and DISPON (<see cref="Tft.TftDriver"/>).
    /// Entry format: command, parameter count (bit 7 set: a pause in ms follows the parameters), parameters.
    /// </summary>
    public static class St7789InitSequence
    {
        public static readonly byte[] Table =
        {
            0x01, 0x80, 120,  // 9.1.2 SWRESET; no parameters; wait 120 ms (5 ms before any command, 120 ms before SLPOUT)
            0x11, 0x80, 120,  // 9.1.12 SLPOUT; no parameters; wait 120 ms (5 ms before any command, 120 ms before SLPIN)
            0x3A, 0x01,       // 9.1.32 COLMOD, one parameter:
            0x55,             //   D6-D4 101 = 65K colours on the RGB interface, D2-D0 101 = 16 bits per pixel on the MCU interface
        };
    }
}
