using Terminal.Core.Crypto;
using Terminal.Core.Ports;
using Terminal.Payments.Antom;

namespace Terminal.Updates.Manifest
{
    /// <summary>
    /// A manifest is authentic for this terminal when its MAC is HMAC-SHA256 over the manifest's exact bytes under
    /// the key of label <see cref="SignatureKeys.UpdateManifest"/>, derived from this terminal's device key. The key
    /// is used for nothing else, so no heartbeat, relay answer or another terminal's manifest verifies as one, and
    /// a manifest the gateway did not authenticate for this device is refused. Derive once at start: it allocates.
    /// </summary>
    public sealed class ManifestAuthentication
    {
        /// <summary>Length of the MAC.</summary>
        public const int MacLength = HmacSha256.HashSize;

        private readonly IMac _key;
        private readonly byte[] _computed = new byte[MacLength];

        public ManifestAuthentication(IMac deviceKey)
        {
            if (deviceKey == null)
            {
                throw new System.ArgumentNullException("deviceKey");
            }

            _key = SignatureKeys.Derive(deviceKey, SignatureKeys.UpdateManifest);
        }

        /// <summary>True when <paramref name="mac"/> (32 bytes from <paramref name="macOffset"/>) authenticates
        /// <c>manifest[offset .. offset+count)</c> for this terminal. Compares in fixed time.</summary>
        public bool IsAuthentic(byte[] manifest, int offset, int count, byte[] mac, int macOffset)
        {
            if (manifest == null || mac == null || macOffset < 0 || mac.Length - macOffset < MacLength)
            {
                return false;
            }

            _key.Compute(manifest, offset, count, _computed, 0);
            return FixedTime.Equals(_computed, 0, mac, macOffset, MacLength);
        }
    }
}
