namespace Terminal.Core.Config
{
    /// <summary>The device's identity at the gateway: Client-Id and its HMAC key (keys deviceId, keyVersion, key).</summary>
    public sealed class DeviceSection : ConfigSection
    {
        public DeviceSection()
            : base("device")
        {
        }

        /// <summary>Client-Id at the gateway; letters and digits, at most 32.</summary>
        public string DeviceId { get; set; }

        /// <summary>Version of <see cref="Key"/> (gateway key rotation).</summary>
        public int KeyVersion { get; set; }

        /// <summary>HMAC-SHA256 key, 32 bytes.</summary>
        public byte[] Key { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.RequiredText("deviceId", ConfigKind.Identifier, 1, 32, DeviceId, delegate(string v) { DeviceId = v; });
            rules.Integer("keyVersion", 1, int.MaxValue, KeyVersion, true, delegate(long v) { KeyVersion = (int)v; });
            rules.RequiredKey("key", delegate(byte[] v) { Key = v; });
        }
    }
}
