using System;
using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// QR Code Model 2 encoder (ISO/IEC 18004:2015): versions 1-40, levels L/M/Q/H, numeric, alphanumeric
    /// and byte segments chosen optimally, all 8 masks scored by the 4 penalty rules, format and version
    /// information. Byte segments carry the payload bytes as given and no ECI header: readers take them as
    /// UTF-8 or ISO-8859-1, which agree for ASCII (URLs).
    /// <para>
    /// Entry points: <see cref="Encode"/> (throws <see cref="QrDataTooLongException"/>),
    /// <see cref="TryEncode"/> (returns false instead), <see cref="GetBitLength"/> and
    /// <see cref="GetCapacityBits"/> to plan without encoding, and <see cref="QrFit"/> to choose the version,
    /// level and scale for a display area.
    /// </para>
    /// <para>
    /// Memory: every buffer is allocated in the constructor for the largest version the caller allows, about
    /// 1.9 KB for version 2, 4.6 KB for version 10, 32 KB for version 40 (four module planes: dark and
    /// function, by rows and by columns; the mask patterns; data and interleaved codewords, one segmentation
    /// byte per payload byte, Reed-Solomon tables). Encoding allocates nothing, uses no recursion, and loops a
    /// bounded number of times. Between calls it keeps the returned <see cref="QrCode"/> and the function
    /// patterns of the last version, which the next symbol of that version reuses. One encoder per thread.
    /// </para>
    /// </summary>
    public sealed class QrEncoder
    {
        private readonly int _maxVersion;
        private readonly QrMatrix _matrix;
        private readonly QrSegmenter _segmenter;
        private readonly QrBitWriter _writer = new QrBitWriter();
        private readonly ReedSolomon _reedSolomon = new ReedSolomon();
        private readonly QrPenalty _penalty = new QrPenalty();
        private readonly byte[] _dataCodewords;
        private readonly byte[] _codewords;
        private readonly QrCode _code;

        /// <param name="maxVersion">Largest version this encoder will ever produce, 1-40; sizes every buffer.</param>
        public QrEncoder(int maxVersion)
        {
            if (maxVersion < QrTables.MinVersion || maxVersion > QrTables.MaxVersion)
            {
                throw new ArgumentOutOfRangeException("maxVersion", "QR version must be 1-40, was " + maxVersion);
            }

            _maxVersion = maxVersion;
            _matrix = new QrMatrix(maxVersion);
            int maxDataCodewords = QrTables.DataCodewords(maxVersion, QrErrorCorrection.Low);

            // Fewest bits per byte is numeric: 10 bits per 3 digits, so no payload that fits is longer than this.
            _segmenter = new QrSegmenter(maxDataCodewords * 8 * 3 / 10 + 1);
            _dataCodewords = new byte[maxDataCodewords];
            _codewords = new byte[QrTables.TotalCodewords(maxVersion)];
            _code = new QrCode(_matrix);
        }

        /// <summary>
        /// Test and benchmark hook: encode the payload as one segment in the narrowest single mode, as
        /// encoders without mixed-mode segmentation do, so matrices can be compared with theirs.
        /// </summary>
        internal bool SingleSegment { get; set; }

        /// <summary>The largest version this encoder was built for.</summary>
        public int MaxVersion
        {
            get { return _maxVersion; }
        }

        /// <summary>
        /// Encodes data[offset .. offset+count) in the smallest version in [minVersion, maxVersion] that holds
        /// it at level <paramref name="ecc"/>; with <paramref name="boostEcc"/> the level is then raised as far
        /// as that version still holds the data. <paramref name="mask"/> is 0-7, or -1 to choose the mask with
        /// the lowest penalty. The result is owned by this encoder and valid until its next encode.
        /// </summary>
        /// <exception cref="QrDataTooLongException">The data does not fit in maxVersion at level ecc.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range argument is invalid (message names it).</exception>
        public QrCode Encode(byte[] data, int offset, int count, QrErrorCorrection ecc, int minVersion, int maxVersion, int mask, bool boostEcc)
        {
            QrCode code;
            if (!TryEncode(data, offset, count, ecc, minVersion, maxVersion, mask, boostEcc, out code))
            {
                int bits = _segmenter.Measure(data, offset, count, QrTables.VersionGroup(maxVersion));
                throw QrDataTooLongException.Create(count, bits, GetCapacityBits(maxVersion, ecc), maxVersion, ecc);
            }

            return code;
        }

        /// <summary>As <see cref="Encode"/>, but returns false (and code = null) when the data does not fit.</summary>
        public bool TryEncode(byte[] data, int offset, int count, QrErrorCorrection ecc, int minVersion, int maxVersion, int mask, bool boostEcc, out QrCode code)
        {
            CheckPayload(data, offset, count);
            if ((int)ecc < 0 || (int)ecc > 3)
            {
                throw new ArgumentOutOfRangeException("ecc", "unknown error correction level " + (int)ecc);
            }

            if (minVersion < QrTables.MinVersion || minVersion > maxVersion || maxVersion > _maxVersion)
            {
                throw new ArgumentOutOfRangeException("maxVersion", "versions must satisfy 1 <= minVersion <= maxVersion <= "
                    + _maxVersion + " (this encoder's maximum), were " + minVersion + ".." + maxVersion);
            }

            if (mask < -1 || mask > 7)
            {
                throw new ArgumentOutOfRangeException("mask", "mask must be 0-7 or -1 (choose), was " + mask);
            }

            code = null;
            if (count > _segmenter.Capacity)
            {
                return false;
            }

            // The smallest version that holds the optimally segmented data; the segmentation (and its length)
            // changes only where the count indicator widths do (versions 10 and 27). The segments are built
            // for each group tried, so those of the chosen version's group are ready when it fits.
            int version = 0;
            int group = -1;
            int bits = 0;
            for (int v = minVersion; v <= maxVersion; v++)
            {
                if (QrTables.VersionGroup(v) != group)
                {
                    group = QrTables.VersionGroup(v);
                    bits = SingleSegment ? _segmenter.BuildSingle(data, offset, count, group) : _segmenter.BuildModes(data, offset, count, group);
                }

                if (bits <= GetCapacityBits(v, ecc))
                {
                    version = v;
                    break;
                }
            }

            if (version == 0)
            {
                return false;
            }

            if (boostEcc)
            {
                for (int e = (int)ecc + 1; e <= (int)QrErrorCorrection.High; e++)
                {
                    if (bits <= GetCapacityBits(version, (QrErrorCorrection)e))
                    {
                        ecc = (QrErrorCorrection)e;
                    }
                }
            }

            WriteDataCodewords(data, offset, count, version, ecc, group);
            AddErrorCorrectionAndInterleave(version, ecc);
            _matrix.Reset(version);
            _matrix.PlaceCodewords(_codewords, QrTables.TotalCodewords(version));
            if (mask == -1)
            {
                mask = ChooseMask(ecc);
            }

            _matrix.ApplyMask(mask);
            _matrix.DrawFormat(ecc, mask);
            _code.Set(version, ecc, mask);
            code = _code;
            return true;
        }

        /// <summary>
        /// Bits the payload takes at <paramref name="version"/> with the optimal segmentation (segment
        /// headers included; terminator and padding not). Allocates nothing; any count is accepted.
        /// </summary>
        public int GetBitLength(byte[] data, int offset, int count, int version)
        {
            CheckPayload(data, offset, count);
            if (version < QrTables.MinVersion || version > QrTables.MaxVersion)
            {
                throw new ArgumentOutOfRangeException("version", "QR version must be 1-40, was " + version);
            }

            return _segmenter.Measure(data, offset, count, QrTables.VersionGroup(version));
        }

        /// <summary>Data bits (data codewords * 8) of a version at a level (Table 7).</summary>
        public static int GetCapacityBits(int version, QrErrorCorrection ecc)
        {
            if (version < QrTables.MinVersion || version > QrTables.MaxVersion)
            {
                throw new ArgumentOutOfRangeException("version", "QR version must be 1-40, was " + version);
            }

            return QrTables.DataCodewords(version, ecc) * 8;
        }

        private static void CheckPayload(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentOutOfRangeException("count", "offset " + offset + " and count " + count
                    + " do not lie within data of length " + data.Length);
            }
        }

        /// <summary>
        /// Segments (section 7.4), terminator (up to 4 zero bits), zero bits to a codeword boundary, then the
        /// pad codewords 11101100 and 00010001 alternately (section 7.4.10).
        /// </summary>
        private void WriteDataCodewords(byte[] data, int offset, int count, int version, QrErrorCorrection ecc, int group)
        {
            int capacityBits = GetCapacityBits(version, ecc);
            QrBitWriter w = _writer;
            w.Reset(_dataCodewords, capacityBits);
            byte[] modes = _segmenter.Modes;
            int start = 0;
            while (start < count)
            {
                Debug.Assert((modes[start] & QrSegmenter.SegmentStart) != 0);
                int end = start + 1;
                while (end < count && (modes[end] & QrSegmenter.SegmentStart) == 0)
                {
                    end++;
                }

                WriteSegment(data, offset + start, end - start, modes[start] & 0x7F, group);
                start = end;
            }

            int terminator = capacityBits - w.BitLength;
            w.Write(0, terminator < 4 ? terminator : 4);
            w.Write(0, (8 - (w.BitLength & 7)) & 7);
            for (int pad = 0xEC; w.BitLength < capacityBits; pad ^= 0xEC ^ 0x11)
            {
                w.Write(pad, 8);
            }
        }

        private void WriteSegment(byte[] data, int start, int length, int mode, int group)
        {
            QrBitWriter w = _writer;
            int countBits = QrTables.CountBits(mode, group);
            Debug.Assert(length < (1 << countBits)); // holds for every payload that fits (see QrTables)
            w.Write(mode, 4);
            w.Write(length, countBits);
            int end = start + length;
            if (mode == QrTables.ModeNumeric)
            {
                // Table 3 groups: 3 digits in 10 bits, a trailing 2 in 7, a trailing 1 in 4.
                int i = start;
                for (; i + 3 <= end; i += 3)
                {
                    w.Write((data[i] - '0') * 100 + (data[i + 1] - '0') * 10 + (data[i + 2] - '0'), 10);
                }

                if (end - i == 2)
                {
                    w.Write((data[i] - '0') * 10 + (data[i + 1] - '0'), 7);
                }
                else if (end - i == 1)
                {
                    w.Write(data[i] - '0', 4);
                }
            }
            else if (mode == QrTables.ModeAlphanumeric)
            {
                // Section 7.4.5: pairs as 45*first + second in 11 bits, a trailing character in 6.
                int i = start;
                for (; i + 2 <= end; i += 2)
                {
                    w.Write(QrSegmenter.AlphanumericValue(data[i]) * 45 + QrSegmenter.AlphanumericValue(data[i + 1]), 11);
                }

                if (i < end)
                {
                    w.Write(QrSegmenter.AlphanumericValue(data[i]), 6);
                }
            }
            else
            {
                for (int i = start; i < end; i++)
                {
                    w.Write(data[i], 8);
                }
            }
        }

        /// <summary>
        /// Splits the data codewords into the Table 9 blocks (the short blocks first, long blocks one data
        /// codeword longer), computes each block's error correction codewords, and writes everything straight
        /// into the interleaved order of section 7.6: data codeword i of every block in turn, then error
        /// correction codeword k of every block in turn.
        /// </summary>
        private void AddErrorCorrectionAndInterleave(int version, QrErrorCorrection ecc)
        {
            int blocks = QrTables.BlockCount(version, ecc);
            int eccLength = QrTables.EccPerBlock(version, ecc);
            int total = QrTables.TotalCodewords(version);
            int dataTotal = total - blocks * eccLength;
            int shortBlocks = blocks - total % blocks;
            int shortData = total / blocks - eccLength;
            Debug.Assert(shortData >= 1 && shortBlocks >= 1 && shortBlocks <= blocks);

            byte[] data = _dataCodewords;
            byte[] output = _codewords;
            int blockStart = 0;
            for (int b = 0; b < blocks; b++)
            {
                int length = shortData + (b < shortBlocks ? 0 : 1);
                for (int i = 0; i < length; i++)
                {
                    int position = i < shortData ? i * blocks + b : shortData * blocks + (b - shortBlocks);
                    output[position] = data[blockStart + i];
                }

                _reedSolomon.Compute(data, blockStart, length, eccLength, output, dataTotal + b, blocks);
                blockStart += length;
            }

            Debug.Assert(blockStart == dataTotal);
        }

        /// <summary>
        /// Section 7.8.3: scores every mask with its format bits (the penalty reads the symbol masked on the
        /// fly, nothing is drawn but the format bits) and keeps the lowest; on a tie, the lower mask number.
        /// </summary>
        private int ChooseMask(QrErrorCorrection ecc)
        {
            int best = 0;
            int bestScore = int.MaxValue;
            for (int m = 0; m < 8; m++)
            {
                _matrix.DrawFormat(ecc, m);
                int score = _penalty.Score(_matrix, m);
                if (score < bestScore)
                {
                    best = m;
                    bestScore = score;
                }
            }

            return best;
        }
    }
}
