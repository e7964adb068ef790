using System;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Chooses how to show a payload in a display area so that phones read it from the farthest: the largest
    /// integer number of pixels per module first, then the highest error correction level at that size,
    /// then the smallest version for that level. The symbol plus a quiet zone on every side must fit in the
    /// shorter side of the area. Allocates nothing after construction; the result is held in this instance.
    /// <code>
    /// if (fit.TryFit(url, 0, url.Length, 128, 64, 2))
    ///     code = encoder.Encode(url, 0, url.Length, fit.ErrorCorrection, fit.Version, fit.Version, -1, false);
    /// </code>
    /// </summary>
    public sealed class QrFit
    {
        /// <summary>ISO/IEC 18004 asks for 4 modules; 2 is the least that phone readers handle reliably.</summary>
        public const int MinQuietZone = 2;

        private readonly QrEncoder _encoder;
        private readonly int[] _bitsPerGroup = new int[3];

        /// <param name="encoder">Measures payloads; its MaxVersion bounds the versions considered.</param>
        public QrFit(QrEncoder encoder)
        {
            if (encoder == null)
            {
                throw new ArgumentNullException("encoder");
            }

            _encoder = encoder;
        }

        /// <summary>Pixels per module of the last successful fit.</summary>
        public int Scale { get; private set; }

        public int Version { get; private set; }

        public QrErrorCorrection ErrorCorrection { get; private set; }

        /// <summary>Modules per side of the chosen symbol, without quiet zone.</summary>
        public int SymbolSize
        {
            get { return 17 + 4 * Version; }
        }

        /// <summary>
        /// Finds the scale, level and version for data[offset .. offset+count) in a width x height pixel area
        /// with at least <paramref name="quietZone"/> (>= 2) light modules around the symbol. Returns false,
        /// leaving the properties unchanged, when the payload cannot be shown even at 1 pixel per module.
        /// </summary>
        public bool TryFit(byte[] data, int offset, int count, int width, int height, int quietZone)
        {
            if (quietZone < MinQuietZone)
            {
                throw new ArgumentOutOfRangeException("quietZone", "quiet zone must be at least " + MinQuietZone + " modules, was " + quietZone);
            }

            if (width <= 0 || height <= 0)
            {
                throw new ArgumentOutOfRangeException("width", "area must be positive, was " + width + "x" + height);
            }

            int maxVersion = _encoder.MaxVersion;
            for (int group = 0; group < 3; group++)
            {
                // Versions 1, 10 and 27 open the three count-indicator groups (Table 3).
                int first = group == 0 ? 1 : group == 1 ? 10 : 27;
                _bitsPerGroup[group] = first <= maxVersion ? _encoder.GetBitLength(data, offset, count, first) : int.MaxValue;
            }

            int side = width < height ? width : height;
            for (int scale = side / (21 + 2 * quietZone); scale >= 1; scale--)
            {
                int largest = (side / scale - 2 * quietZone - 17) / 4;
                if (largest > maxVersion)
                {
                    largest = maxVersion;
                }

                for (int e = (int)QrErrorCorrection.High; e >= (int)QrErrorCorrection.Low; e--)
                {
                    for (int v = 1; v <= largest; v++)
                    {
                        if (_bitsPerGroup[QrTables.VersionGroup(v)] <= QrEncoder.GetCapacityBits(v, (QrErrorCorrection)e))
                        {
                            Scale = scale;
                            Version = v;
                            ErrorCorrection = (QrErrorCorrection)e;
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }
}
