using System;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// The payload does not fit any allowed version at the requested error correction level.
    /// The message gives the bits needed against the capacity and the ways out: a lower error correction
    /// level, a higher maximum version (which needs a larger encoder and a larger display area), or a
    /// shorter payload. The screen should then show a readable fallback, never a partial code.
    /// </summary>
    public class QrDataTooLongException : Exception
    {
        public QrDataTooLongException(string message)
            : base(message)
        {
        }

        /// <summary>Bits the optimally segmented payload needs at <see cref="Version"/>.</summary>
        public int BitsNeeded { get; private set; }

        /// <summary>Data bits available at <see cref="Version"/> and the requested level.</summary>
        public int CapacityBits { get; private set; }

        /// <summary>The largest version that was allowed, where the comparison was made.</summary>
        public int Version { get; private set; }

        internal static QrDataTooLongException Create(int count, int bitsNeeded, int capacityBits, int version, QrErrorCorrection ecc)
        {
            string message = "QR payload too long: " + count + " bytes need " + bitsNeeded + " bits, version "
                + version + "-" + QrTables.LevelLetter(ecc) + " holds " + capacityBits
                + " data bits. Use a lower error correction level, allow a higher maximum version, or shorten the payload.";
            QrDataTooLongException e = new QrDataTooLongException(message);
            e.BitsNeeded = bitsNeeded;
            e.CapacityBits = capacityBits;
            e.Version = version;
            return e;
        }
    }
}
