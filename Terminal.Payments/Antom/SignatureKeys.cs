using Terminal.Core.Crypto;
using Terminal.Core.Ports;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// The terminal's signing keys, derived from the provisioned device key K so that a MAC made for one direction or
    /// message type never verifies as another (a signed answer posted back as a request is refused):
    /// <c>K_label = HMAC-SHA256(K, ASCII(label) || 0x01)</c>, i.e. HKDF-Expand (RFC 5869 section 2.3) with K as the
    /// pseudorandom key and one 32-byte block. Labels are <c>qr-terminal-hs256/&lt;message type&gt;/&lt;direction&gt;</c>;
    /// the gateway derives the same keys from the same stored K (docs/gateway.md, "Signing keys"), so a provisioned
    /// device keeps its key. Derive once at start and keep the result: it allocates.
    /// </summary>
    public static class SignatureKeys
    {
        /// <summary>Antom relay requests, terminal to gateway.</summary>
        public const string AntomRelayRequest = "qr-terminal-hs256/antom-relay/device-to-gateway";

        /// <summary>Antom relay answers, gateway to terminal.</summary>
        public const string AntomRelayAnswer = "qr-terminal-hs256/antom-relay/gateway-to-device";

        /// <summary>Heartbeat requests, terminal to gateway (docs/fleet-link.md).</summary>
        public const string HeartbeatRequest = "qr-terminal-hs256/heartbeat/device-to-gateway";

        /// <summary>Heartbeat answers (remote settings, resolutions), gateway to terminal.</summary>
        public const string HeartbeatAnswer = "qr-terminal-hs256/heartbeat/gateway-to-device";

        /// <summary>Update manifests, gateway to terminal: each terminal gets the bundle's manifest authenticated for it
        /// (docs/ota.md). No message goes the other way with this key.</summary>
        public const string UpdateManifest = "qr-terminal-hs256/update-manifest/gateway-to-device";

        /// <summary>Bundle file downloads, terminal to gateway (docs/ota.md, "Files"): GET requests with an empty body.
        /// Their answers are not signed: the bytes are checked against the authenticated manifest's sizes and SHA-256.</summary>
        public const string UpdateDownload = "qr-terminal-hs256/update-download/device-to-gateway";

        /// <summary>A MAC keyed with the key of <paramref name="label"/> (ASCII), derived from <paramref name="deviceKey"/>.</summary>
        public static IMac Derive(IMac deviceKey, string label)
        {
            byte[] info = new byte[label.Length + 1];
            for (int i = 0; i < label.Length; i++)
            {
                info[i] = (byte)label[i];
            }

            info[label.Length] = 0x01; // HKDF-Expand block counter T(1)
            byte[] key = new byte[HmacSha256.HashSize];
            deviceKey.Compute(info, 0, info.Length, key, 0);
            IMac derived = deviceKey.WithKey(key);
            System.Array.Clear(key, 0, key.Length);
            return derived;
        }
    }
}
