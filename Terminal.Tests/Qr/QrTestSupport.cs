using Xunit;
using System.Text;
using Terminal.Drivers.Display;
using Terminal.Drivers.Qr;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Terminal.Tests.Qr;

/// <summary>Rendering, independent decoding (ZXing.Net) and payload generators for the QR tests.</summary>
internal static class QrTestSupport
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// An Antom-style order code URL of exactly <paramref name="length"/> bytes (>= 23), shaped like the
    /// fixture codeValue "https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf": the host, a
    /// 12-digit number, then a mixed-case token. Longer ones repeat the token pattern.
    /// </summary>
    public static string AntomUrl(int length, Random random)
    {
        const string prefix = "https://gqr.alipay.com/";
        if (length < prefix.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        var sb = new StringBuilder(prefix, length);
        sb.Append("2810");
        while (sb.Length < prefix.Length + 12 && sb.Length < length)
        {
            sb.Append((char)('0' + random.Next(10)));
        }

        while (sb.Length < length)
        {
            sb.Append(Base62[random.Next(Base62.Length)]);
        }

        return sb.ToString(0, length);
    }

    /// <summary>Light = 255, dark = 0, with a light quiet zone of <paramref name="quiet"/> modules.</summary>
    public static byte[] Render(IModuleMatrix m, int scale, int quiet, out int width)
    {
        width = (m.Size + 2 * quiet) * scale;
        var pixels = new byte[width * width];
        Array.Fill(pixels, (byte)255);
        for (int y = 0; y < m.Size; y++)
        {
            for (int x = 0; x < m.Size; x++)
            {
                if (!m.IsDark(x, y))
                {
                    continue;
                }

                for (int dy = 0; dy < scale; dy++)
                {
                    int row = ((y + quiet) * scale + dy) * width;
                    for (int dx = 0; dx < scale; dx++)
                    {
                        pixels[row + (x + quiet) * scale + dx] = 0;
                    }
                }
            }
        }

        return pixels;
    }

    /// <summary>
    /// Decodes a rendered symbol with ZXing.Net (detector, sampler and decoder of its own). With
    /// ISO-8859-1 as the byte-mode charset every byte maps to one char, so the payload bytes come back exactly.
    /// </summary>
    public static Result? Decode(byte[] pixels, int width, string charset)
    {
        var source = new RGBLuminanceSource(pixels, width, width, RGBLuminanceSource.BitmapFormat.Gray8);
        var bitmap = new BinaryBitmap(new HybridBinarizer(source));
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.CHARACTER_SET] = charset };
        try
        {
            return new QRCodeReader().decode(bitmap, hints);
        }
        catch (ReaderException)
        {
            return null;
        }
    }

    public static byte[] DecodeBytes(IModuleMatrix m, int scale)
    {
        byte[] pixels = Render(m, scale, 4, out int width);
        Result? result = Decode(pixels, width, "ISO-8859-1");
        Assert.True(result != null, "ZXing found no QR code");
        return Encoding.Latin1.GetBytes(result!.Text);
    }

    /// <summary>A plain copy of a module matrix as rows of bools.</summary>
    public static bool[][] Snapshot(IModuleMatrix m)
    {
        var rows = new bool[m.Size][];
        for (int y = 0; y < m.Size; y++)
        {
            rows[y] = new bool[m.Size];
            for (int x = 0; x < m.Size; x++)
            {
                rows[y][x] = m.IsDark(x, y);
            }
        }

        return rows;
    }

    /// <summary>QRCoder's module matrix without its 4-module quiet zone.</summary>
    public static bool[][] QrCoderMatrix(QRCoder.QRCodeData data)
    {
        int quiet = 4;
        int size = data.ModuleMatrix.Count - 2 * quiet;
        var rows = new bool[size][];
        for (int y = 0; y < size; y++)
        {
            rows[y] = new bool[size];
            for (int x = 0; x < size; x++)
            {
                rows[y][x] = data.ModuleMatrix[y + quiet][x + quiet];
            }
        }

        return rows;
    }

    /// <summary>
    /// Reads level and mask from the first copy of the format information of any matrix, by finding the
    /// valid 15-bit format word (of all 32) nearest in Hamming distance to the modules read.
    /// </summary>
    public static (QrErrorCorrection Ecc, int Mask) ReadFormat(bool[][] m)
    {
        int read = 0;
        // Copy 1, bit i at: (8,i) for i 0-5, (8,7), (8,8), (7,8), (14-i,8) for i 9-14 (x, y).
        (int X, int Y)[] positions =
        [
            (8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8),
        ];
        for (int i = 0; i < 15; i++)
        {
            if (m[positions[i].Y][positions[i].X])
            {
                read |= 1 << i;
            }
        }

        int best = -1;
        int bestDistance = 99;
        for (int data = 0; data < 32; data++)
        {
            int word = (data << 10 | Bch15(data)) ^ 0x5412;
            int distance = System.Numerics.BitOperations.PopCount((uint)(word ^ read));
            if (distance < bestDistance)
            {
                best = data;
                bestDistance = distance;
            }
        }

        Assert.Equal(0, bestDistance);
        QrErrorCorrection ecc = (best >> 3) switch
        {
            1 => QrErrorCorrection.Low,
            0 => QrErrorCorrection.Medium,
            3 => QrErrorCorrection.Quartile,
            _ => QrErrorCorrection.High,
        };
        return (ecc, best & 7);
    }

    // Remainder of data(x) * x^10 divided by the format generator 10100110111 (0x537), long division by hand.
    private static int Bch15(int data)
    {
        int value = data << 10;
        for (int bit = 14; bit >= 10; bit--)
        {
            if ((value >> bit & 1) != 0)
            {
                value ^= 0x537 << (bit - 10);
            }
        }

        return value;
    }

    public static string Diff(bool[][] expected, bool[][] actual)
    {
        var sb = new StringBuilder();
        for (int y = 0; y < expected.Length; y++)
        {
            for (int x = 0; x < expected.Length; x++)
            {
                if (expected[y][x] != actual[y][x] && sb.Length < 400)
                {
                    sb.Append($"({x},{y}) ");
                }
            }
        }

        return sb.ToString();
    }

    public static QRCoder.QRCodeGenerator.ECCLevel ToQrCoder(QrErrorCorrection ecc) => ecc switch
    {
        QrErrorCorrection.Low => QRCoder.QRCodeGenerator.ECCLevel.L,
        QrErrorCorrection.Medium => QRCoder.QRCodeGenerator.ECCLevel.M,
        QrErrorCorrection.Quartile => QRCoder.QRCodeGenerator.ECCLevel.Q,
        _ => QRCoder.QRCodeGenerator.ECCLevel.H,
    };
}
