namespace Terminal.Core.Ports
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104, FIPS 180-4) with a key the implementation holds: the provisioned device key, from which
    /// the signer (Payments/Antom/SignatureKeys) derives one key per message type and direction at start.
    /// </summary>
    public interface IMac
    {
        /// <summary>Writes the 32-byte MAC of <c>data[offset .. offset+count)</c> to <c>output[outputOffset ..]</c>.</summary>
        void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset);

        /// <summary>A MAC of the same implementation keyed with <paramref name="key"/>, which it copies. Called at
        /// start only (it allocates).</summary>
        IMac WithKey(byte[] key);
    }
}
