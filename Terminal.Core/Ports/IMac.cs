namespace Terminal.Core.Ports
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104, FIPS 180-4) with the device key, which the implementation holds. The signer uses it
    /// for the HS256 request signature and for verifying the gateway's response signature.
    /// </summary>
    public interface IMac
    {
        /// <summary>Writes the 32-byte MAC of <c>data[offset .. offset+count)</c> to <c>output[outputOffset ..]</c>.</summary>
        void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset);
    }
}
