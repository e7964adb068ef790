using Terminal.Core.Ports;
using Terminal.Countertop.Pin;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// The managed part of a menu PIN check as the ESP32 runs it: PBKDF2's loop over an <see cref="IMac"/> shaped like
    /// Terminal.Esp32's NativeHmac (the message copied into an array of its own, one native call that returns a fresh
    /// 32-byte array, the result copied out), with <c>Array.Clone</c> (a native call returning a new array) standing in
    /// for <c>HMACSHA256.HashData</c>, which nanoCLR on a PC does not have. The device's time is this plus 2,000 native
    /// HMACs (docs/benchmarks/nanoclr.md).
    /// </summary>
    public sealed class PinCheckNativeShape : IWorkload
    {
        private readonly int[] _calls = new int[1];
        private readonly ShapedMac _mac;
        private readonly byte[] _salt = new byte[PinHash.SaltSize];
        private readonly byte[] _hash = new byte[PinHash.HashSize];

        public PinCheckNativeShape()
        {
            _mac = new ShapedMac(null, _calls);
        }

        public bool RunOnce()
        {
            _calls[0] = 0;
            PinHash.Derive(_mac, "2468", _salt, PinVault.NewPinIterations, _hash);
            return _calls[0] == PinVault.NewPinIterations;
        }

        private sealed class ShapedMac : IMac
        {
            private readonly byte[] _answer = new byte[32];

            /// <summary>Computations so far, shared with the keyed copies.</summary>
            private readonly int[] _calls;

            /// <param name="key">Unused: the stand-in computes nothing from it (keying once per check costs next to nothing).</param>
            public ShapedMac(byte[] key, int[] calls)
            {
                _calls = calls;
            }

            public void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset)
            {
                byte[] message = new byte[count];
                System.Array.Copy(data, offset, message, 0, count);
                byte[] mac = (byte[])_answer.Clone();
                System.Array.Copy(mac, 0, output, outputOffset, 32);
                _calls[0]++;
            }

            public IMac WithKey(byte[] key)
            {
                return new ShapedMac(key, _calls);
            }
        }
    }
}
