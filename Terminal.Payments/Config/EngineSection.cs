using Terminal.Core.Config;

namespace Terminal.Payments.Config
{
    /// <summary>How the payment engine behaves: the sales currency, polling and cancel timing, buffers, journal size.</summary>
    public sealed class EngineSection : ConfigSection
    {
        public EngineSection()
            : base("engine")
        {
            PollIntervalMs = 2000;
            CpmBudgetMs = 60000;
            MpmBudgetMs = 120000;
            MaxBackoffMs = 16000;
            CancelScheduleMs = new int[] { 2000, 3000, 3000, 5000, 5000 };
            CodeValueBytes = 512;
            KeepTransactions = 8;
        }

        /// <summary>ISO 4217 code of the terminal's sales.</summary>
        public string Currency { get; set; }

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

        /// <summary>Longest order code (codeValue) the terminal can show.</summary>
        public int CodeValueBytes { get; set; }

        /// <summary>Finished transactions kept in the journal for LAST, refunds and voids.</summary>
        public int KeepTransactions { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.RequiredText("currency", ConfigKind.Currency, 3, 3, Currency, delegate(string v) { Currency = v; });
            rules.Integer("pollIntervalMs", 200, 60000, PollIntervalMs, false, delegate(long v) { PollIntervalMs = (int)v; });
            rules.Integer("cpmBudgetMs", 1000, 600000, CpmBudgetMs, false, delegate(long v) { CpmBudgetMs = (int)v; });
            rules.Integer("mpmBudgetMs", 1000, 3600000, MpmBudgetMs, false, delegate(long v) { MpmBudgetMs = (int)v; });
            rules.Integer("maxBackoffMs", 200, 120000, MaxBackoffMs, false, delegate(long v) { MaxBackoffMs = (int)v; });
            rules.Schedule("cancelScheduleMs", 0, 60000, CancelScheduleMs, delegate(int[] v) { CancelScheduleMs = v; });
            rules.Integer("codeValueBytes", 64, 2048, CodeValueBytes, false, delegate(long v) { CodeValueBytes = (int)v; });
            rules.Integer("keepTransactions", 1, 50, KeepTransactions, false, delegate(long v) { KeepTransactions = (int)v; });

            // Remote settings (docs/fleet-link.md): the sales currency and the timing, within bounds that keep the
            // payment service's load and the customer's wait reasonable; buffers and the journal size need a restart.
            rules.Remote("currency");
            rules.Remote("pollIntervalMs", 1000, 10000);
            rules.Remote("cpmBudgetMs", 20000, 300000);
            rules.Remote("mpmBudgetMs", 30000, 900000);
            rules.Remote("maxBackoffMs", 1000, 60000);
            rules.Remote("cancelScheduleMs", 500, 30000);
        }

        public override void Check()
        {
            if (CpmBudgetMs < PollIntervalMs)
            {
                throw new ConfigException("cpmBudgetMs", "must be at least pollIntervalMs");
            }
        }
    }
}
