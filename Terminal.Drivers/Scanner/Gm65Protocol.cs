namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// Constants of the Grow GM65-family "zone bit" serial protocol (GM65 user manual, section 8; the same
    /// frames serve GM805/GM810/GM812/GM861 and Waveshare's barcode module).
    /// <code>
    /// command  7E 00 | Types | Lens | AddrH AddrL | Datas[Lens] | CrcH CrcL     (CRC over Types..Datas)
    /// reply    02 00 | Status | Lens | Datas[Lens] | CrcH CrcL               (CRC over Status..Datas)
    /// </code>
    /// A command with a bad CRC or format gets no reply at all; a command left incomplete for 400 ms is dropped.
    /// </summary>
    public static class Gm65Protocol
    {
        /// <summary>First byte of every command frame.</summary>
        public const byte CommandHead0 = 0x7E;

        /// <summary>Second byte of every command frame.</summary>
        public const byte CommandHead1 = 0x00;

        /// <summary>First byte of every reply frame. Never a printable character, so it cannot start a code.</summary>
        public const byte ReplyHead0 = 0x02;

        /// <summary>Second byte of every reply frame.</summary>
        public const byte ReplyHead1 = 0x00;

        /// <summary>Types: read zone bits; Datas is one byte, the number of zones to read (0 means 256).</summary>
        public const byte TypeReadZones = 0x07;

        /// <summary>Types: write zone bits; Datas are the values for consecutive zones from the address.</summary>
        public const byte TypeWriteZones = 0x08;

        /// <summary>Types: save all zone bits to the module's flash (EEPROM) so they survive power-off.</summary>
        public const byte TypeSaveZones = 0x09;

        /// <summary>Reply status for success.</summary>
        public const byte StatusOk = 0x00;

        /// <summary>Bytes in a command frame around its Datas: head 2, Types, Lens, address 2, CRC 2.</summary>
        public const int CommandOverhead = 8;

        /// <summary>Bytes in a reply frame around its Datas: head 2, Status, Lens, CRC 2.</summary>
        public const int ReplyOverhead = 6;

        /// <summary>
        /// The reply to every write or save: status OK, one data byte 00, CRC 0x3331. The module also sends it
        /// before the decoded data of a command-triggered scan. Internal: a shared mutable array must not be public.
        /// </summary>
        internal static readonly byte[] Ack = new byte[] { 0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31 };
    }
}
