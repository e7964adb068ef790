#nullable disable
namespace Terminal.Tests.Config.Legacy
{
    /// <summary>The flat configuration the legacy parser fills (the firmware's TerminalConfig before sections).</summary>
    internal sealed class LegacyConfig
    {
        public LegacyConfig()
        {
            Board = "wroom";
            Display = "ssd1306";
            I2cSda = 21;
            I2cScl = 22;
            ScannerTx = 17;
            ScannerRx = 16;
            HostLinkTx = -1;
            HostLinkRx = -1;
            PollIntervalMs = 2000;
            CpmBudgetMs = 60000;
            MpmBudgetMs = 120000;
            MaxBackoffMs = 16000;
            CancelScheduleMs = new int[] { 2000, 3000, 3000, 5000, 5000 };
            HttpTimeoutMs = 15000;
            RequestBufferBytes = 2048;
            ResponseBufferBytes = 4096;
            CodeValueBytes = 512;
            KeepTransactions = 8;
            OrderDescription = "In-store payment";
        }

        // ---- identity and keys ----

        /// <summary>Client-Id at the gateway; letters and digits, at most 32.</summary>
        public string DeviceId { get; set; }

        /// <summary>Version of <see cref="Key"/> (gateway key rotation).</summary>
        public int KeyVersion { get; set; }

        /// <summary>HMAC-SHA256 key, 32 bytes.</summary>
        public byte[] Key { get; set; }

        /// <summary>Base URL of the merchant gateway.</summary>
        public string GatewayUrl { get; set; }

        /// <summary>Path of the PEM file of the gateway's CA; null for the platform's trust store.</summary>
        public string CaCertificate { get; set; }

        public string WifiSsid { get; set; }

        public string WifiPassword { get; set; }

        public string DisplayName { get; set; }

        /// <summary>ISO 4217 code of the terminal's sales.</summary>
        public string Currency { get; set; }

        // ---- hardware ----

        /// <summary>"wroom" or "wrover".</summary>
        public string Board { get; set; }

        /// <summary>"ssd1306" or "sh1106".</summary>
        public string Display { get; set; }

        public int I2cSda { get; set; }

        public int I2cScl { get; set; }

        public int ScannerTx { get; set; }

        public int ScannerRx { get; set; }

        /// <summary>Host link UART (COM3) pins; -1 = the board default, GPIO4/GPIO5.</summary>
        public int HostLinkTx { get; set; }

        public int HostLinkRx { get; set; }

        // ---- payment behaviour ----

        /// <summary>Inquiry interval.</summary>
        public int PollIntervalMs { get; set; }

        /// <summary>Total polling budget of a customer-presented payment, from the first pay request.</summary>
        public int CpmBudgetMs { get; set; }

        /// <summary>Polling budget of an order code when the response names no expiry.</summary>
        public int MpmBudgetMs { get; set; }

        /// <summary>Longest wait between inquiries while the server throttles.</summary>
        public int MaxBackoffMs { get; set; }

        /// <summary>Waits between cancel attempts (first attempt at once).</summary>
        public int[] CancelScheduleMs { get; set; }

        /// <summary>Timeout of one HTTP exchange.</summary>
        public int HttpTimeoutMs { get; set; }

        /// <summary>Largest request body.</summary>
        public int RequestBufferBytes { get; set; }

        /// <summary>Largest response body; a longer one is an error treated as unknown.</summary>
        public int ResponseBufferBytes { get; set; }

        /// <summary>Longest order code (codeValue) the terminal can show.</summary>
        public int CodeValueBytes { get; set; }

        /// <summary>Finished transactions kept in the journal for LAST, refunds and voids.</summary>
        public int KeepTransactions { get; set; }

        // ---- Antom order fields (empty: the gateway fills them in) ----

        /// <summary>order.orderDescription (required by Antom).</summary>
        public string OrderDescription { get; set; }

        /// <summary>order.merchant.referenceMerchantId; when empty no merchant object is sent.</summary>
        public string MerchantId { get; set; }

        public string MerchantName { get; set; }

        /// <summary>order.merchant.merchantMCC.</summary>
        public string MerchantMcc { get; set; }

        /// <summary>order.merchant.store.referenceStoreId.</summary>
        public string StoreId { get; set; }

        public string StoreName { get; set; }

        public string StoreMcc { get; set; }

        /// <summary>storeTerminalId (order.env and store); defaults to <see cref="DeviceId"/>.</summary>
        public string TerminalId { get; set; }

        /// <summary>The storeTerminalId to send.</summary>
        public string EffectiveTerminalId
        {
            get { return TerminalId == null || TerminalId.Length == 0 ? DeviceId : TerminalId; }
        }
    }
}
