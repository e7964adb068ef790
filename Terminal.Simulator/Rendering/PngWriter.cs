using System.Buffers.Binary;
using System.IO.Compression;

namespace Terminal.Simulator.Rendering;

/// <summary>
/// Writes a display's picture as a PNG (ISO/IEC 15948: signature, IHDR, one IDAT with zlib data of filter-0
/// scanlines, IEND; every chunk with its CRC-32): the OLED's as 8-bit greyscale, lit pixels white; a colour panel's
/// as 8-bit RGB. Each pixel becomes a <c>scale</c> x <c>scale</c> square and a dark border of <c>border</c> pixels
/// surrounds the glass.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Encodes <paramref name="pixels"/> (<c>[y * width + x]</c> = lit).</summary>
    public static byte[] Encode(bool[] pixels, int width, int height, int scale = 4, int border = 8)
    {
        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        }

        return Encode(width, height, scale, border, colour: false, (x, y) => pixels[y * width + x] ? 0xFFFFFF : 0);
    }

    /// <summary>
    /// Encodes a colour panel's picture (<c>[y * width + x]</c> in RGB565) as an 8-bit RGB PNG, each 5- or 6-bit
    /// channel widened to 8 bits; by default at the panel's own resolution.
    /// </summary>
    public static byte[] EncodeRgb565(int[] pixels, int width, int height, int scale = 1, int border = 0)
    {
        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        }

        return Encode(width, height, scale, border, colour: true, (x, y) => Rgb888(pixels[y * width + x]));
    }

    /// <summary>An RGB565 colour as 0xRRGGBB, each channel's top bits repeated into its low ones.</summary>
    public static int Rgb888(int rgb565)
    {
        int r = (rgb565 >> 11) & 0x1F;
        int g = (rgb565 >> 5) & 0x3F;
        int b = rgb565 & 0x1F;
        return (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
    }

    private static byte[] Encode(int width, int height, int scale, int border, bool colour, Func<int, int, int> rgbAt)
    {
        if (scale < 1 || border < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "scale must be at least 1 and border not negative");
        }

        int outWidth = width * scale + 2 * border;
        int outHeight = height * scale + 2 * border;
        int channels = colour ? 3 : 1;
        using var png = new MemoryStream();
        png.Write(Signature);

        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), outWidth);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), outHeight);
        header[8] = 8;                        // bit depth
        header[9] = (byte)(colour ? 2 : 0);   // colour type: truecolour or greyscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR", header);

        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            byte[] row = new byte[1 + outWidth * channels];
            for (int y = 0; y < outHeight; y++)
            {
                row[0] = 0; // filter type None
                int py = (y - border) / scale;
                bool insideY = y >= border && py < height;
                for (int x = 0; x < outWidth; x++)
                {
                    int px = (x - border) / scale;
                    int rgb = insideY && x >= border && px < width ? rgbAt(px, py) : 0;
                    if (colour)
                    {
                        row[1 + 3 * x] = (byte)(rgb >> 16);
                        row[2 + 3 * x] = (byte)(rgb >> 8);
                        row[3 + 3 * x] = (byte)rgb;
                    }
                    else
                    {
                        row[1 + x] = (byte)(rgb >> 8);
                    }
                }

                zlib.Write(row);
            }
        }

        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        byte[] length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        byte[] sum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, crc);
        output.Write(sum);
    }

    // CRC-32 of PNG (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), bit by bit: chunks are few and small.
    private static uint Crc(uint crc, byte[] data)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return crc;
    }
}
