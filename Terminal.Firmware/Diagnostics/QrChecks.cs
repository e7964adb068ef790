using Terminal.Drivers.Qr;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known-answer checks of the QR encoder (ISO/IEC 18004:2015). The symbol checks use a version-1
    /// encoder (about 300 bytes of buffers) so they run on the device beside everything else.
    /// </summary>
    public static class QrChecks
    {
        // Annex I: "01234567" at 1-M. Its 16 data codewords and the 10 error correction codewords.
        private static readonly byte[] AnnexIData =
        {
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        };

        private static readonly byte[] AnnexIEcc = { 165, 36, 212, 193, 237, 54, 199, 135, 44, 85 };

        // Section 7.9.1 worked example: level M, mask 101 -> format bits 100000011001110.
        private const int FormatMMask5 = 0x40CE;

        // FNV-1a over the modules of "01234567" 1-M mask 5, row by row (one byte per module, 1 = dark).
        // Recorded from the encoder whose symbols ZXing.Net decodes and which equal QRCoder's module for module
        // (Terminal.Tests/Qr); any change to placement, masking, format bits or the codewords changes it.
        private const uint AnnexISymbolHash = 0x1FDB3607;

        public static void Run(SelfTestReport report)
        {
            report.Run("qr.reed-solomon.annex-i", ReedSolomonAnnexI);
            report.Run("qr.format-bits.m-mask5", FormatBits);
            report.Run("qr.symbol.annex-i", SymbolHash);
            report.Run("qr.too-long.refused", TooLongRefused);
        }

        private static string ReedSolomonAnnexI()
        {
            byte[] ecc = new byte[AnnexIEcc.Length];
            new ReedSolomon().Compute(AnnexIData, 0, AnnexIData.Length, ecc.Length, ecc, 0, 1);
            for (int i = 0; i < ecc.Length; i++)
            {
                if (ecc[i] != AnnexIEcc[i])
                {
                    return "codeword " + i + " is " + ecc[i] + ", expected " + AnnexIEcc[i];
                }
            }

            return null;
        }

        private static QrCode EncodeAnnexI()
        {
            byte[] digits = { (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7' };
            return new QrEncoder(1).Encode(digits, 0, digits.Length, QrErrorCorrection.Medium, 1, 1, 5, false);
        }

        private static string FormatBits()
        {
            QrCode code = EncodeAnnexI();

            // First copy, bit i (0 = least significant): column 8 rows 0-5, 7, 8; then row 8 columns 7, 5..0.
            int bits = 0;
            for (int i = 0; i < 15; i++)
            {
                int x = i <= 7 ? 8 : i == 8 ? 7 : 14 - i;
                int y = i <= 5 ? i : i <= 7 ? i + 1 : 8;
                if (code.IsDark(x, y))
                {
                    bits |= 1 << i;
                }
            }

            return bits == FormatMMask5 ? null : "read 0x" + bits.ToString("X4") + ", expected 0x" + FormatMMask5.ToString("X4");
        }

        private static string SymbolHash()
        {
            uint hash = Hash(EncodeAnnexI());
            return hash == AnnexISymbolHash ? null : "hash 0x" + hash.ToString("X8") + ", expected 0x" + AnnexISymbolHash.ToString("X8");
        }

        internal static uint Hash(QrCode code)
        {
            uint hash = 2166136261;
            for (int y = 0; y < code.Size; y++)
            {
                for (int x = 0; x < code.Size; x++)
                {
                    hash = (hash ^ (code.IsDark(x, y) ? 1u : 0u)) * 16777619;
                }
            }

            return hash;
        }

        private static string TooLongRefused()
        {
            // 18 digits need 4 + 10 + 60 = 74 bits; version 1-H holds 72.
            byte[] digits = new byte[18];
            for (int i = 0; i < digits.Length; i++)
            {
                digits[i] = (byte)('0' + i % 10);
            }

            QrCode code;
            bool fits = new QrEncoder(1).TryEncode(digits, 0, digits.Length, QrErrorCorrection.High, 1, 1, -1, false, out code);
            return fits ? "74 bits were accepted in 72" : null;
        }
    }
}
