namespace Terminal.Firmware.HostLink
{
    /// <summary>The app's answer to a request that starts or stops something.</summary>
    public enum HostLinkAnswer
    {
        /// <summary>Taken on; progress and the RESULT event follow.</summary>
        Accepted = 0,

        /// <summary>Another transaction is running (ERR BUSY).</summary>
        Busy,

        /// <summary>ABORT with nothing to abort (ERR NOSALE).</summary>
        NoSale,

        /// <summary>REFUND/VOID of an unknown transaction (ERR NOTFOUND).</summary>
        NotFound,

        /// <summary>Cannot be done now; the detail says why (ERR REFUSED).</summary>
        Refused,
    }
}
