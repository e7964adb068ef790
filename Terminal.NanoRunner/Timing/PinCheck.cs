using Terminal.Countertop.Pin;
using Terminal.Payments.Engine;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// One merchant-menu PIN check: PBKDF2-HMAC-SHA256 of four digits with the iterations a PIN set from the menu gets
    /// (<see cref="PinVault.NewPinIterations"/>), over the portable HMAC. The device computes each HMAC natively
    /// (IMac.WithKey of its native MAC), so this is the interpreter's worst case, not the device's time.
    /// </summary>
    public sealed class PinCheck : IWorkload
    {
        private readonly PortableMac _mac = new PortableMac(new byte[32]);
        private readonly byte[] _salt = new byte[PinHash.SaltSize];
        private readonly byte[] _hash = new byte[PinHash.HashSize];

        public bool RunOnce()
        {
            PinHash.Derive(_mac, "2468", _salt, PinVault.NewPinIterations, _hash);

            // Python: hashlib.pbkdf2_hmac("sha256", b"2468", bytes(16), 2000) begins 6d d2 2d c3.
            return _hash[0] == 0x6d && _hash[1] == 0xd2 && _hash[2] == 0x2d && _hash[3] == 0xc3;
        }
    }
}
