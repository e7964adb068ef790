using System;
using System.Security.Cryptography;
using Terminal.Core.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// HMAC-SHA256 with a key (the device key, or one derived from it at start), computed natively (mbedTLS) by nanoFramework.System.Security.Cryptography.
    /// </summary>
    /// <remarks>
    /// The native API hashes whole arrays only, so the range is copied into an array of its exact length: one
    /// allocation of the message size per signature or verification, i.e. per HTTP exchange, never per loop pass.
    /// </remarks>
    public sealed class NativeHmac : IMac
    {
        private const int MacBytes = 32;

        private readonly byte[] _key;

        public NativeHmac(byte[] key)
        {
            if (key == null || key.Length == 0)
            {
                throw new ArgumentException("the HMAC key is empty", "key");
            }

            _key = (byte[])key.Clone();
        }

        public void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            byte[] message = new byte[count];
            Array.Copy(data, offset, message, 0, count);
            byte[] mac = HMACSHA256.HashData(_key, message);
            Array.Copy(mac, 0, output, outputOffset, MacBytes);
        }

        public IMac WithKey(byte[] key)
        {
            return new NativeHmac(key);
        }
    }
}
