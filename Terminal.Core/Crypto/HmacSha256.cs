using System;

namespace Terminal.Core.Crypto
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104, test vectors RFC 4231). The device uses its native HMAC; this portable one serves
    /// the PC, tests and targets without native crypto. The key pads are hashed once per key (SetKey) and the
    /// resulting chaining states are reused, so a message costs only its own blocks plus two.
    /// Nothing is allocated after construction.
    /// </summary>
    public sealed class HmacSha256
    {
        public const int HashSize = Sha256.HashSize;

        private readonly Sha256 _inner = new Sha256();
        private readonly Sha256 _outer = new Sha256();
        private readonly byte[] _pad = new byte[Sha256.BlockSize];
        private readonly byte[] _innerHash = new byte[Sha256.HashSize];
        private readonly uint[] _innerStart = new uint[8];
        private readonly uint[] _outerStart = new uint[8];

        public HmacSha256(byte[] key)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            SetKey(key, 0, key.Length);
        }

        /// <summary>Changes the key (any length; longer than 64 bytes is hashed first, RFC 2104 section 2) and resets.</summary>
        public void SetKey(byte[] key, int offset, int count)
        {
            if (key == null || offset < 0 || count < 0 || offset > key.Length - count)
            {
                throw new ArgumentOutOfRangeException("offset", "key range outside the array");
            }

            Array.Clear(_pad, 0, _pad.Length);
            if (count > Sha256.BlockSize)
            {
                _inner.Reset();
                _inner.Update(key, offset, count);
                _inner.Final(_pad, 0);
            }
            else
            {
                Array.Copy(key, offset, _pad, 0, count);
            }

            // ipad = 0x36 and opad = 0x5c repeated (RFC 2104 section 2); 0x36 ^ 0x5c = 0x6a turns one into the other.
            for (int i = 0; i < _pad.Length; i++)
            {
                _pad[i] ^= 0x36;
            }

            _inner.Reset();
            _inner.Update(_pad, 0, _pad.Length);
            _inner.SaveState(_innerStart);
            for (int i = 0; i < _pad.Length; i++)
            {
                _pad[i] ^= 0x6a;
            }

            _outer.Reset();
            _outer.Update(_pad, 0, _pad.Length);
            _outer.SaveState(_outerStart);
            Array.Clear(_pad, 0, _pad.Length);
            Reset();
        }

        /// <summary>Starts a new message with the same key.</summary>
        public void Reset()
        {
            _inner.LoadState(_innerStart, Sha256.BlockSize);
        }

        public void Update(byte[] data, int offset, int count)
        {
            _inner.Update(data, offset, count);
        }

        /// <summary>Writes the 32-byte MAC at <paramref name="offset"/> and resets for the next message.</summary>
        public void Final(byte[] dst, int offset)
        {
            if (dst == null || offset < 0 || offset > dst.Length - HashSize)
            {
                throw new ArgumentOutOfRangeException("offset", "the MAC needs 32 bytes at offset");
            }

            _inner.Final(_innerHash, 0);
            _outer.LoadState(_outerStart, Sha256.BlockSize);
            _outer.Update(_innerHash, 0, _innerHash.Length);
            _outer.Final(dst, offset);
            Reset();
        }
    }
}
