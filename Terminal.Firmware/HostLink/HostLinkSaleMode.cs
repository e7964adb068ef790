namespace Terminal.Firmware.HostLink
{
    /// <summary>How the customer pays, as the SALE command names it.</summary>
    public enum HostLinkSaleMode
    {
        /// <summary>MPM: the terminal shows an order QR code, the customer scans it with the wallet app.</summary>
        Mpm = 0,

        /// <summary>CPM: the customer shows the wallet's payment code, the terminal scans it.</summary>
        Cpm = 1,
    }
}
