namespace Terminal.Drivers.Printer
{
    /// <summary>
    /// The real-time status command DLE EOT n (10 04 n) and its one-byte answers (Epson ESC/POS reference, "DLE EOT";
    /// download4.epson.biz/sec_pubs/pos/reference_en/escpos/dle_eot.html). Every answer has bit 1 and bit 4 set and
    /// bits 0 and 7 clear, which tells a status byte from noise.
    /// <code>
    /// n = 1 printer status   bit 3: offline
    /// n = 2 offline cause    bit 2: cover open   bit 3: paper fed by the button   bit 5: stopped by paper end   bit 6: error
    /// n = 4 paper sensor     bits 2,3: roll near its end   bits 5,6: roll empty
    /// </code>
    /// The printer answers these even while it is busy or offline, as soon as the bytes arrive.
    /// </summary>
    public static class EscPosStatus
    {
        public const byte Dle = 0x10;
        public const byte Eot = 0x04;

        public const byte PrinterStatus = 1;
        public const byte OfflineCause = 2;
        public const byte PaperSensor = 4;

        /// <summary>True for a byte with the fixed bits of every DLE EOT answer.</summary>
        public static bool IsStatusByte(byte b)
        {
            return (b & 0x93) == 0x12;
        }

        /// <summary>The state from the answers to n = 1, 2 and 4 (each already checked with <see cref="IsStatusByte"/>).</summary>
        public static PrinterState Decode(byte printer, byte offlineCause, byte paper)
        {
            if ((paper & 0x60) != 0 || (offlineCause & 0x20) != 0)
            {
                return PrinterState.PaperOut;
            }

            if ((offlineCause & 0x04) != 0)
            {
                return PrinterState.CoverOpen;
            }

            if ((printer & 0x08) != 0 || (offlineCause & 0x40) != 0)
            {
                return PrinterState.Offline;
            }

            return (paper & 0x0C) != 0 ? PrinterState.PaperLow : PrinterState.Ready;
        }

        /// <summary>Plain words for the state, for the screen, the menu and DIAG.</summary>
        public static string Describe(PrinterState state)
        {
            switch (state)
            {
                case PrinterState.Ready:
                    return "ready";
                case PrinterState.PaperLow:
                    return "paper low";
                case PrinterState.PaperOut:
                    return "out of paper";
                case PrinterState.CoverOpen:
                    return "cover open";
                case PrinterState.Offline:
                    return "offline";
                case PrinterState.NotAnswering:
                    return "not answering";
                case PrinterState.Garbled:
                    return "answers garbage (baud rate?)";
                default:
                    return "not checked yet";
            }
        }
    }
}
