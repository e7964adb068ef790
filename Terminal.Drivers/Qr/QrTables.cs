using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Constants of ISO/IEC 18004:2015 for versions 1-40: error correction blocks (Table 9), alignment
    /// pattern centres (Annex E), character count indicator widths (Table 3) and module counts.
    /// The tables are cross-checked against ZXing's own tables in Terminal.Tests/Qr/QrTablesTests.cs.
    /// </summary>
    internal static class QrTables
    {
        internal const int MinVersion = 1;
        internal const int MaxVersion = 40;

        /// <summary>Mode indicators (Table 2).</summary>
        internal const int ModeNumeric = 0x1;
        internal const int ModeAlphanumeric = 0x2;
        internal const int ModeByte = 0x4;

        // Table 9, error correction codewords per block. Row = level L, M, Q, H; column = version, index 0 unused.
        //    version:   -   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18  19  20  21  22  23  24  25  26  27  28  29  30  31  32  33  34  35  36  37  38  39  40
        private static readonly byte[] EccCodewordsPerBlock =
        {
            /* L */      0,  7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
            /* M */      0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            /* Q */      0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
            /* H */      0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        };

        // Table 9, number of error correction blocks. Same layout.
        //    version:   -   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18  19  20  21  22  23  24  25  26  27  28  29  30  31  32  33  34  35  36  37  38  39  40
        private static readonly byte[] EccBlockCount =
        {
            /* L */      0,  1,  1,  1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7,  8,  8,  9,  9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
            /* M */      0,  1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
            /* Q */      0,  1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
            /* H */      0,  1,  1,  2,  4,  4,  4,  5,  6,  8,  8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        };

        // Annex E, Table E.1: row/column coordinates of alignment pattern centres, 7 per version, 0 = none.
        private const int AlignmentColumns = 7;
        private static readonly byte[] AlignmentCentres =
        {
            /*  1 */ 0,  0,  0,  0,   0,   0,   0,
            /*  2 */ 6, 18,  0,  0,   0,   0,   0,
            /*  3 */ 6, 22,  0,  0,   0,   0,   0,
            /*  4 */ 6, 26,  0,  0,   0,   0,   0,
            /*  5 */ 6, 30,  0,  0,   0,   0,   0,
            /*  6 */ 6, 34,  0,  0,   0,   0,   0,
            /*  7 */ 6, 22, 38,  0,   0,   0,   0,
            /*  8 */ 6, 24, 42,  0,   0,   0,   0,
            /*  9 */ 6, 26, 46,  0,   0,   0,   0,
            /* 10 */ 6, 28, 50,  0,   0,   0,   0,
            /* 11 */ 6, 30, 54,  0,   0,   0,   0,
            /* 12 */ 6, 32, 58,  0,   0,   0,   0,
            /* 13 */ 6, 34, 62,  0,   0,   0,   0,
            /* 14 */ 6, 26, 46, 66,   0,   0,   0,
            /* 15 */ 6, 26, 48, 70,   0,   0,   0,
            /* 16 */ 6, 26, 50, 74,   0,   0,   0,
            /* 17 */ 6, 30, 54, 78,   0,   0,   0,
            /* 18 */ 6, 30, 56, 82,   0,   0,   0,
            /* 19 */ 6, 30, 58, 86,   0,   0,   0,
            /* 20 */ 6, 34, 62, 90,   0,   0,   0,
            /* 21 */ 6, 28, 50, 72,  94,   0,   0,
            /* 22 */ 6, 26, 50, 74,  98,   0,   0,
            /* 23 */ 6, 30, 54, 78, 102,   0,   0,
            /* 24 */ 6, 28, 54, 80, 106,   0,   0,
            /* 25 */ 6, 32, 58, 84, 110,   0,   0,
            /* 26 */ 6, 30, 58, 86, 114,   0,   0,
            /* 27 */ 6, 34, 62, 90, 118,   0,   0,
            /* 28 */ 6, 26, 50, 74,  98, 122,   0,
            /* 29 */ 6, 30, 54, 78, 102, 126,   0,
            /* 30 */ 6, 26, 52, 78, 104, 130,   0,
            /* 31 */ 6, 30, 56, 82, 108, 134,   0,
            /* 32 */ 6, 34, 60, 86, 112, 138,   0,
            /* 33 */ 6, 30, 58, 86, 114, 142,   0,
            /* 34 */ 6, 34, 62, 90, 118, 146,   0,
            /* 35 */ 6, 30, 54, 78, 102, 126, 150,
            /* 36 */ 6, 24, 50, 76, 102, 128, 154,
            /* 37 */ 6, 28, 54, 80, 106, 132, 158,
            /* 38 */ 6, 32, 58, 84, 110, 136, 162,
            /* 39 */ 6, 26, 54, 82, 110, 138, 166,
            /* 40 */ 6, 30, 58, 86, 114, 142, 170,
        };

        // Table 3, character count indicator bits. Row = versions 1-9, 10-26, 27-40 (the "version group").
        //                                      numeric  alphanumeric  byte
        private static readonly byte[] CountIndicatorBits =
        {
            /* 1-9   */                           10,        9,          8,
            /* 10-26 */                           12,       11,         16,
            /* 27-40 */                           14,       13,         16,
        };

        internal static int Size(int version)
        {
            Debug.Assert(version >= MinVersion && version <= MaxVersion);
            return 17 + 4 * version;
        }

        /// <summary>0 for versions 1-9, 1 for 10-26, 2 for 27-40 (Table 3).</summary>
        internal static int VersionGroup(int version)
        {
            return version <= 9 ? 0 : version <= 26 ? 1 : 2;
        }

        /// <summary>Character count indicator bits; mode is ModeNumeric, ModeAlphanumeric or ModeByte.</summary>
        internal static int CountBits(int mode, int group)
        {
            int column = mode == ModeNumeric ? 0 : mode == ModeAlphanumeric ? 1 : 2;
            return CountIndicatorBits[group * 3 + column];
        }

        internal static int EccPerBlock(int version, QrErrorCorrection ecc)
        {
            return EccCodewordsPerBlock[(int)ecc * 41 + version];
        }

        internal static int BlockCount(int version, QrErrorCorrection ecc)
        {
            return EccBlockCount[(int)ecc * 41 + version];
        }

        /// <summary>Number of alignment pattern centre coordinates (0 for version 1, else 2..7).</summary>
        internal static int AlignmentCount(int version)
        {
            return version == 1 ? 0 : version / 7 + 2;
        }

        internal static int AlignmentCentre(int version, int index)
        {
            return AlignmentCentres[(version - 1) * AlignmentColumns + index];
        }

        /// <summary>
        /// Modules left for data and error correction codewords (including remainder bits) once the
        /// function patterns are drawn: size^2 minus 3 finders with separators (3*64), the two timing lines
        /// between them, 31 format modules (2*15 + the dark module), the alignment patterns (n^2 - 3 of 25
        /// modules, of which the 2(n-2) on the timing lines share 5 modules each with them), and 2*18 version
        /// modules from version 7.
        /// </summary>
        internal static int RawDataModules(int version)
        {
            int size = Size(version);
            int result = size * size - 3 * 64 - 2 * (size - 16) - 31;
            int n = AlignmentCount(version);
            if (n > 0)
            {
                result -= 25 * (n * n - 3) - 5 * 2 * (n - 2);
            }

            if (version >= 7)
            {
                result -= 36;
            }

            Debug.Assert(result >= 208 && result <= 29648);
            return result;
        }

        /// <summary>All codewords, data plus error correction (Table 1 "number of codewords").</summary>
        internal static int TotalCodewords(int version)
        {
            return RawDataModules(version) / 8;
        }

        internal static int DataCodewords(int version, QrErrorCorrection ecc)
        {
            return TotalCodewords(version) - EccPerBlock(version, ecc) * BlockCount(version, ecc);
        }

        /// <summary>2-bit error correction indicator of the format information (Table 12): L=01 M=00 Q=11 H=10.</summary>
        internal static int FormatIndicator(QrErrorCorrection ecc)
        {
            switch (ecc)
            {
                case QrErrorCorrection.Low: return 1;
                case QrErrorCorrection.Medium: return 0;
                case QrErrorCorrection.Quartile: return 3;
                default: return 2;
            }
        }

        internal static string LevelLetter(QrErrorCorrection ecc)
        {
            switch (ecc)
            {
                case QrErrorCorrection.Low: return "L";
                case QrErrorCorrection.Medium: return "M";
                case QrErrorCorrection.Quartile: return "Q";
                default: return "H";
            }
        }

        /// <summary>
        /// The 15 format bits (section 7.9.1): 5 data bits (level indicator, mask), BCH(15,5) remainder with
        /// generator x^10+x^8+x^5+x^4+x^2+x+1 (0x537), XOR 101010000010010 (0x5412) so it is never all zero.
        /// </summary>
        internal static int FormatBits(QrErrorCorrection ecc, int mask)
        {
            Debug.Assert(mask >= 0 && mask <= 7);
            int data = (FormatIndicator(ecc) << 3) | mask;
            int remainder = data;
            for (int i = 0; i < 10; i++)
            {
                remainder = (remainder << 1) ^ (((remainder >> 9) & 1) * 0x537);
            }

            int bits = ((data << 10) | remainder) ^ 0x5412;
            Debug.Assert((bits >> 15) == 0);
            return bits;
        }

        /// <summary>
        /// The 18 version bits (section 7.10, Annex D): 6-bit version, BCH(18,6) remainder with generator
        /// x^12+x^11+x^10+x^9+x^8+x^5+x^2+1 (0x1F25). Only versions 7 and up carry them.
        /// </summary>
        internal static int VersionBits(int version)
        {
            Debug.Assert(version >= 7 && version <= MaxVersion);
            int remainder = version;
            for (int i = 0; i < 12; i++)
            {
                remainder = (remainder << 1) ^ (((remainder >> 11) & 1) * 0x1F25);
            }

            int bits = (version << 12) | remainder;
            Debug.Assert((bits >> 18) == 0);
            return bits;
        }
    }
}
