namespace Terminal.Firmware.HostLink
{
    /// <summary>Constants of the host-link line protocol (docs/host-link.md).</summary>
    public static class HostLinkProtocol
    {
        /// <summary>Protocol name and version, answered to PING.</summary>
        public const string Version = "HL1";

        /// <summary>Longest line in bytes, counting the checksum and the CR LF.</summary>
        public const int MaxLineLength = 256;

        /// <summary>Checksum delimiter: the last '*' of a line.</summary>
        public const byte ChecksumMark = (byte)'*';

        /// <summary>Bytes after the text of a line: "*", two hex digits, CR, LF.</summary>
        public const int TrailerLength = 5;

        /// <summary>Largest request id and event sequence number (9 digits).</summary>
        public const int MaxId = 999999999;

        /// <summary>Most digits in an amount in minor units (12: up to 9,999,999,999.99 in a 2-decimal currency).</summary>
        public const int MaxAmountDigits = 12;

        /// <summary>Longest merchant reference or payment id (Antom's request ids are at most 64).</summary>
        public const int MaxReferenceLength = 64;

        /// <summary>Most tokens in a request: id, command and up to 4 arguments.</summary>
        public const int MaxTokens = 6;

        /// <summary>Id used in replies to lines whose id cannot be trusted (bad checksum, too long, bad bytes).</summary>
        public const int UntrustedId = 0;
    }
}
