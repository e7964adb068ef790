namespace Terminal.Firmware.HostLink
{
    /// <summary>Wire words of <see cref="HostLinkError"/>.</summary>
    public static class HostLinkErrors
    {
        /// <summary>The code word sent after ERR.</summary>
        public static string Word(HostLinkError error)
        {
            switch (error)
            {
                case HostLinkError.Checksum: return "CHECKSUM";
                case HostLinkError.TooLong: return "TOOLONG";
                case HostLinkError.BadByte: return "BADBYTE";
                case HostLinkError.Syntax: return "SYNTAX";
                case HostLinkError.Unknown: return "UNKNOWN";
                case HostLinkError.Args: return "ARGS";
                case HostLinkError.Busy: return "BUSY";
                case HostLinkError.NoSale: return "NOSALE";
                case HostLinkError.NotFound: return "NOTFOUND";
                case HostLinkError.Refused: return "REFUSED";
                case HostLinkError.NoTransaction: return "NONE";
                default: return "INTERNAL";
            }
        }
    }
}
