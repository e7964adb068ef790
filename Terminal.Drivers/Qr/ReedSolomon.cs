using System;
using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Reed-Solomon error correction codewords over GF(256) with the QR field polynomial
    /// x^8+x^4+x^3+x^2+1 (0x11D) and generator roots alpha^0..alpha^(n-1) (ISO/IEC 18004:2015 section 7.5.2).
    /// Tables and buffers are allocated once here; <see cref="Compute"/> allocates nothing. Public as the
    /// encoder's low-level entry point, used by the self-test's known-answer check.
    /// </summary>
    public sealed class ReedSolomon
    {
        /// <summary>Largest error correction codewords per block in Table 9.</summary>
        public const int MaxDegree = 30;

        private readonly byte[] _exp = new byte[512];  // alpha^i for i in 0..510, doubled so log sums need no modulo
        private readonly byte[] _log = new byte[256];  // log[0] is unused
        // Logarithms of the generator's coefficients below the leading 1, highest power first. No generator of
        // degree 1-30 has a zero coefficient (the tests compare every degree with ZXing's encoder).
        private readonly byte[] _generatorLog = new byte[MaxDegree];
        private readonly byte[] _remainder = new byte[MaxDegree];
        private int _degree;

        public ReedSolomon()
        {
            int x = 1;
            for (int i = 0; i < 255; i++)
            {
                _exp[i] = (byte)x;
                _exp[i + 255] = (byte)x;
                _log[x] = (byte)i;
                x <<= 1;
                if (x >= 256)
                {
                    x ^= 0x11D;
                }
            }

            Debug.Assert(x == 1); // alpha is primitive: its powers cycle after exactly 255 steps
        }

        internal int Multiply(int a, int b)
        {
            Debug.Assert(a >= 0 && a <= 255 && b >= 0 && b <= 255);
            if (a == 0 || b == 0)
            {
                return 0;
            }

            return _exp[_log[a] + _log[b]];
        }

        /// <summary>
        /// Writes the <paramref name="degree"/> error correction codewords of the data block
        /// data[dataOffset .. dataOffset+dataCount) to output[outputOffset + k*outputStride] for k = 0..degree-1.
        /// The stride lets the caller write straight into the interleaved codeword sequence.
        /// </summary>
        public void Compute(byte[] data, int dataOffset, int dataCount, int degree, byte[] output, int outputOffset, int outputStride)
        {
            if (data == null || output == null)
            {
                throw new ArgumentNullException(data == null ? "data" : "output");
            }

            if (degree < 1 || degree > MaxDegree || outputStride < 1 || dataOffset < 0 || dataCount < 0
                || dataOffset > data.Length - dataCount || outputOffset < 0
                || outputOffset + (degree - 1) * outputStride >= output.Length)
            {
                throw new ArgumentOutOfRangeException("degree", "degree must be 1-" + MaxDegree
                    + " and the data and output ranges must lie within their arrays");
            }

            SetDegree(degree);
            byte[] r = _remainder;
            for (int i = 0; i < degree; i++)
            {
                r[i] = 0;
            }

            // Polynomial division of data(x) * x^degree by the generator, as a shift register: each step
            // shifts the remainder by one and adds factor * generator in the same pass.
            byte[] exp = _exp;
            byte[] generatorLog = _generatorLog;
            int last = degree - 1;
            for (int i = 0; i < dataCount; i++)
            {
                int factor = data[dataOffset + i] ^ r[0];
                if (factor == 0)
                {
                    for (int j = 0; j < last; j++)
                    {
                        r[j] = r[j + 1];
                    }

                    r[last] = 0;
                    continue;
                }

                int logFactor = _log[factor];
                for (int j = 0; j < last; j++)
                {
                    r[j] = (byte)(r[j + 1] ^ exp[generatorLog[j] + logFactor]);
                }

                r[last] = exp[generatorLog[last] + logFactor];
            }

            for (int i = 0; i < degree; i++)
            {
                output[outputOffset + i * outputStride] = r[i];
            }
        }

        /// <summary>Builds prod_{i<degree} (x - alpha^i); kept until the degree changes.</summary>
        private void SetDegree(int degree)
        {
            if (degree == _degree)
            {
                return;
            }

            // g holds the coefficients below the leading 1, highest power first; start with g(x) = 1.
            byte[] g = _generatorLog; // the coefficients first, then turned into their logarithms
            for (int i = 0; i < MaxDegree; i++)
            {
                g[i] = 0;
            }

            for (int k = 0; k < degree; k++)
            {
                // Multiply the degree-k polynomial (1, g[0..k-1]) by (x + alpha^k); minus is plus in GF(2^8).
                int root = _exp[k];
                for (int j = k; j >= 1; j--)
                {
                    g[j] = (byte)(g[j] ^ Multiply(g[j - 1], root));
                }

                g[0] = (byte)(g[0] ^ root);
            }

            for (int j = 0; j < degree; j++)
            {
                Debug.Assert(g[j] != 0);
                g[j] = _log[g[j]];
            }

            _degree = degree;
        }
    }
}
