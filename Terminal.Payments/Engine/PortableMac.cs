using Terminal.Core.Crypto;
using Terminal.Core.Ports;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// <see cref="IMac"/> over the portable <see cref="HmacSha256"/>: for targets without native HMAC and for the
    /// self-test. Allocation-free per call; not thread-safe (one per engine).
    /// </summary>
    public sealed class PortableMac : IMac
    {
        private readonly HmacSha256 _hmac;

        public PortableMac(byte[] key)
        {
            _hmac = new HmacSha256(key);
        }

        public void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            _hmac.Reset();
            _hmac.Update(data, offset, count);
            _hmac.Final(output, outputOffset);
        }

        public IMac WithKey(byte[] key)
        {
            return new PortableMac(key);
        }
    }
}
