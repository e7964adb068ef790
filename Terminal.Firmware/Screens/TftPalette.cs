namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// The colour screens' colours in RGB565 (Terminal.Drivers.Display.Tft.Rgb565). Colour never carries meaning alone:
    /// every coloured state also has its word (PAID, DECLINED...) and an icon of its own shape.
    /// </summary>
    internal static class TftPalette
    {
        /// <summary>White: screens and the QR quiet zone.</summary>
        public const int Paper = 0xFFFF;

        /// <summary>Black: text, dark QR modules.</summary>
        public const int Ink = 0x0000;

        /// <summary>Dark blue title bar (#1E3A8A).</summary>
        public const int Bar = 0x19D1;

        /// <summary>Green (#1B7F3A): paid, refunded, ready.</summary>
        public const int Success = 0x1BE7;

        /// <summary>Red (#C01C1C): declined, failed, errors, not ready.</summary>
        public const int Failure = 0xC0E3;

        /// <summary>Grey (#555555): cancelled.</summary>
        public const int Cancelled = 0x52AA;

        /// <summary>Amber (#F0B000): no final status, check before handing over goods.</summary>
        public const int Review = 0xF580;

        /// <summary>Dark grey (#606060): secondary text.</summary>
        public const int Muted = 0x630C;

        /// <summary>Light grey (#C8C8C8): resting spinner dots.</summary>
        public const int Faint = 0xCE59;

        /// <summary>Black: the blank screen.</summary>
        public const int Blank = 0x0000;
    }
}
