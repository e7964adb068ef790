namespace Terminal.Core.Config
{
    /// <summary>The way to the gateway: its URL and CA, Wi-Fi, and the size and time limits of one HTTP exchange.</summary>
    public sealed class NetworkSection : ConfigSection
    {
        public NetworkSection()
            : base("network")
        {
            HttpTimeoutMs = 15000;
            RequestBufferBytes = 2048;
            ResponseBufferBytes = 4096;
        }

        /// <summary>Base URL of the merchant gateway, without a trailing slash.</summary>
        public string GatewayUrl { get; set; }

        /// <summary>Path of the PEM file of the gateway's CA; null for the platform's trust store.</summary>
        public string CaCertificate { get; set; }

        public string WifiSsid { get; set; }

        public string WifiPassword { get; set; }

        /// <summary>Timeout of one HTTP exchange.</summary>
        public int HttpTimeoutMs { get; set; }

        /// <summary>Largest request body.</summary>
        public int RequestBufferBytes { get; set; }

        /// <summary>Largest response body; a longer one is an error treated as unknown.</summary>
        public int ResponseBufferBytes { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.RequiredText("gatewayUrl", ConfigKind.Url, 8, 256, GatewayUrl, delegate(string v) { GatewayUrl = v; });
            rules.Text("caCertificate", 1, 128, CaCertificate, delegate(string v) { CaCertificate = v; });
            rules.Text("wifiSsid", 1, 32, WifiSsid, delegate(string v) { WifiSsid = v; });
            rules.Password("wifiPassword", 0, 64, delegate(string v) { WifiPassword = v; });
            rules.Integer("httpTimeoutMs", 1000, 120000, HttpTimeoutMs, false, delegate(long v) { HttpTimeoutMs = (int)v; });
            rules.Integer("requestBufferBytes", 1024, 16384, RequestBufferBytes, false, delegate(long v) { RequestBufferBytes = (int)v; });
            rules.Integer("responseBufferBytes", 1024, 65536, ResponseBufferBytes, false, delegate(long v) { ResponseBufferBytes = (int)v; });
        }
    }
}
