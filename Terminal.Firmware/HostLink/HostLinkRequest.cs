namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// One parsed request. The parser reuses one instance; the string fields are created only for a valid
    /// SALE, REFUND or VOID (the edge where they go to the payment engine).
    /// </summary>
    public sealed class HostLinkRequest
    {
        /// <summary>The request id to echo (0 when it could not be trusted).</summary>
        public int Id { get; internal set; }

        /// <summary>The command.</summary>
        public HostLinkCommand Command { get; internal set; }

        /// <summary>SALE and REFUND: amount in minor units of the currency (cents for USD).</summary>
        public long AmountMinor { get; internal set; }

        /// <summary>SALE: ISO 4217 currency code, three capitals.</summary>
        public string Currency { get; internal set; }

        /// <summary>SALE: MPM or CPM.</summary>
        public HostLinkSaleMode Mode { get; internal set; }

        /// <summary>SALE: the merchant reference; REFUND/VOID with REF: the sale's merchant reference; else null.</summary>
        public string Reference { get; internal set; }

        /// <summary>REFUND/VOID with PAYMENT: the payment id; else null.</summary>
        public string PaymentId { get; internal set; }

        internal void Clear()
        {
            Id = HostLinkProtocol.UntrustedId;
            Command = HostLinkCommand.None;
            AmountMinor = 0;
            Currency = null;
            Mode = HostLinkSaleMode.Mpm;
            Reference = null;
            PaymentId = null;
        }
    }
}
