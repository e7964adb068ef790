using Terminal.Core.Config;

namespace Terminal.Payments.Config
{
    /// <summary>Antom order fields the terminal sends (empty: the gateway fills them in).</summary>
    public sealed class MerchantSection : ConfigSection
    {
        public MerchantSection()
            : base("merchant")
        {
            OrderDescription = "In-store payment";
        }

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

        /// <summary>storeTerminalId (order.env and store); empty: the device id (<see cref="PaymentsConfig.EffectiveTerminalId"/>).</summary>
        public string TerminalId { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Text("orderDescription", 1, 256, OrderDescription, delegate(string v) { OrderDescription = v; });
            rules.Text("merchantId", 0, 64, MerchantId, delegate(string v) { MerchantId = v; });
            rules.Text("merchantName", 0, 128, MerchantName, delegate(string v) { MerchantName = v; });
            rules.Text("merchantMcc", 0, 8, MerchantMcc, delegate(string v) { MerchantMcc = v; });
            rules.Text("storeId", 0, 64, StoreId, delegate(string v) { StoreId = v; });
            rules.Text("storeName", 0, 128, StoreName, delegate(string v) { StoreName = v; });
            rules.Text("storeMcc", 0, 8, StoreMcc, delegate(string v) { StoreMcc = v; });
            rules.Text("terminalId", 0, 64, TerminalId, delegate(string v) { TerminalId = v; });

            // Every merchant and store field can be set from the gateway (docs/fleet-link.md).
            rules.Remote("orderDescription");
            rules.Remote("merchantId");
            rules.Remote("merchantName");
            rules.Remote("merchantMcc");
            rules.Remote("storeId");
            rules.Remote("storeName");
            rules.Remote("storeMcc");
            rules.Remote("terminalId");
        }
    }
}
