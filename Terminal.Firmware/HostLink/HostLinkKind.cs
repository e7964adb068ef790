namespace Terminal.Firmware.HostLink
{
    /// <summary>Which kind of transaction a RESULT or LAST describes.</summary>
    public enum HostLinkKind
    {
        /// <summary>SALE: a payment.</summary>
        Sale = 0,

        /// <summary>REFUND.</summary>
        Refund,

        /// <summary>VOID: a payment cancelled entirely.</summary>
        Void,
    }
}
