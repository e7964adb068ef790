namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// The zone-bit addresses and bit fields the driver touches. Everything else on the module keeps its
    /// value: the driver reads a zone, changes only these bits, and writes it back only when it differs.
    /// </summary>
    public static class Gm65Zones
    {
        /// <summary>
        /// Zone 0x0000 (GM65 manual 8.x): bit7 LED on success, bit6 buzzer (1 = not muted), bits5-4 aimer,
        /// bits3-2 illumination, bits1-0 working mode.
        /// </summary>
        public const int Settings = 0x0000;

        /// <summary>Mask of the working-mode bits of zone 0x0000.</summary>
        public const int ModeMask = 0x03;

        /// <summary>Working mode 00: scans while the module's own button is held.</summary>
        public const int ModeManual = 0x00;

        /// <summary>Working mode 01: scans once per trigger command (zone 0x0002 bit0).</summary>
        public const int ModeCommand = 0x01;

        /// <summary>Working mode 10: scans continuously.</summary>
        public const int ModeContinuous = 0x02;

        /// <summary>Working mode 11: scans when its motion sensor sees something.</summary>
        public const int ModeSensor = 0x03;

        /// <summary>Zone 0x0002: bit0 = 1 starts one scan in command mode; the module clears it itself.</summary>
        public const int Trigger = 0x0002;

        /// <summary>Value of zone 0x0002 that starts one scan.</summary>
        public const int TriggerStart = 0x01;

        /// <summary>
        /// Zone 0x003F: QR code decoding, bit0 = 1 enabled. Taken from GM65 configuration tools that write
        /// <c>7E 00 08 01 00 3F 01</c>; the manual page for it was not seen (see docs/scanner.md).
        /// </summary>
        public const int QrCode = 0x003F;

        /// <summary>Enable bit of zone 0x003F.</summary>
        public const int QrEnable = 0x01;

        /// <summary>
        /// Zone 0x0060, output format: bit7 = 1 wraps data in the <c>03 00 len</c> protocol (we want 0),
        /// bits6-5 tail type (00 CR, 01 CRLF, 10 TAB, 11 none), bit0 = 1 appends the tail (integrations that
        /// set "CR" write 0x01 here).
        /// </summary>
        public const int Output = 0x0060;

        /// <summary>Bit7 of zone 0x0060: protocol-wrapped output.</summary>
        public const int OutputProtocol = 0x80;

        /// <summary>Bits6-5 of zone 0x0060: tail type.</summary>
        public const int TailMask = 0x60;

        /// <summary>Tail type 00: CR (0x0D).</summary>
        public const int TailCr = 0x00;

        /// <summary>Tail type 01: CR LF.</summary>
        public const int TailCrLf = 0x20;

        /// <summary>Tail type 10: TAB.</summary>
        public const int TailTab = 0x40;

        /// <summary>Tail type 11: no tail.</summary>
        public const int TailNone = 0x60;

        /// <summary>Bit0 of zone 0x0060: append the tail.</summary>
        public const int TailEnable = 0x01;
    }
}
