namespace Terminal.Firmware.HostLink
{
    /// <summary>Error replies <c>&lt;id&gt; ERR &lt;CODE&gt; &lt;text&gt;</c>; the wire word is in <see cref="HostLinkErrors.Word"/>.</summary>
    public enum HostLinkError
    {
        /// <summary>No error.</summary>
        None = 0,

        /// <summary>CHECKSUM: missing or wrong checksum (id 0: nothing in the line is trusted).</summary>
        Checksum,

        /// <summary>TOOLONG: line longer than 256 bytes (id 0).</summary>
        TooLong,

        /// <summary>BADBYTE: a byte that is not printable ASCII (id 0).</summary>
        BadByte,

        /// <summary>SYNTAX: bad id or spacing (id 0 when the id itself is bad).</summary>
        Syntax,

        /// <summary>UNKNOWN: no such command.</summary>
        Unknown,

        /// <summary>ARGS: wrong number or format of arguments; the text names the argument.</summary>
        Args,

        /// <summary>BUSY: a sale (or another transaction) is in progress.</summary>
        Busy,

        /// <summary>NOSALE: ABORT with no sale in progress.</summary>
        NoSale,

        /// <summary>NOTFOUND: REFUND/VOID of a transaction the terminal does not know.</summary>
        NotFound,

        /// <summary>REFUSED: the terminal cannot do it now (not set up, no network, scanner missing...).</summary>
        Refused,

        /// <summary>NONE: LAST before any transaction.</summary>
        NoTransaction,

        /// <summary>INTERNAL: the terminal failed while handling the request.</summary>
        Internal,
    }
}
