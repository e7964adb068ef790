using Terminal.Drivers.Display;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// An encoded QR symbol: its modules, version, error correction level and mask.
    /// <para>
    /// Buffer contract: the instance and its modules belong to the <see cref="QrEncoder"/> that returned it.
    /// They stay valid until that encoder's next Encode/TryEncode call, which overwrites them (the same
    /// object is returned again). Blit or copy the symbol before encoding the next payload. An encode that
    /// fails (too long, bad argument) leaves the previous symbol untouched. Nothing is allocated per encode.
    /// </para>
    /// </summary>
    public sealed class QrCode : IModuleMatrix
    {
        private readonly QrMatrix _matrix;

        internal QrCode(QrMatrix matrix)
        {
            _matrix = matrix;
        }

        /// <summary>Modules per side, 21 (version 1) to 177 (version 40), without quiet zone.</summary>
        public int Size
        {
            get { return _matrix.Size; }
        }

        /// <summary>Version 1-40 (section 5.3.1).</summary>
        public int Version { get; private set; }

        public QrErrorCorrection ErrorCorrection { get; private set; }

        /// <summary>Data mask pattern 0-7 (section 7.8.2).</summary>
        public int Mask { get; private set; }

        /// <summary>
        /// True for a dark module, (0,0) top-left. Coordinates outside 0..Size-1 are light, as the quiet
        /// zone around the symbol is, so a blit may read a margin without clipping.
        /// </summary>
        public bool IsDark(int x, int y)
        {
            int size = _matrix.Size;
            if (x < 0 || y < 0 || x >= size || y >= size)
            {
                return false;
            }

            return _matrix.IsDark(x, y);
        }

        internal void Set(int version, QrErrorCorrection ecc, int mask)
        {
            Version = version;
            ErrorCorrection = ecc;
            Mask = mask;
        }
    }
}
