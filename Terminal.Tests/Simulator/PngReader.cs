using System.Buffers.Binary;
using System.IO.Compression;

namespace Terminal.Tests.Simulator;

/// <summary>
/// Reads back the PNGs the simulator writes, independently of its writer: checks the signature and every chunk's
/// CRC-32 (written from the PNG specification), inflates IDAT, and undoes filter type 0
/// rows of 8-bit greyscale or 8-bit RGB (turned to grey by luminance, ITU-R BT.601 weights). Anything else is rejected.
/// </summary>
internal static class PngReader
{
    public static (byte[] Gray, int Width, int Height) Read(byte[] png) => Read(png, out _);

    public static (byte[] Gray, int Width, int Height) Read(byte[] png, out bool colour)
    {
        colour = false;
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("not a PNG signature");
        }

        int width = 0;
        int height = 0;
        using var idat = new MemoryStream();
        int p = 8;
        while (p < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
            string type = System.Text.Encoding.ASCII.GetString(png, p + 4, 4);
            byte[] data = png.AsSpan(p + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 8 + length));
            if (crc != Crc32(png.AsSpan(p + 4, 4 + length)))
            {
                throw new InvalidDataException($"bad CRC in chunk {type}");
            }

            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    if (data[8] != 8 || (data[9] != 0 && data[9] != 2) || data[12] != 0)
                    {
                        throw new InvalidDataException("only 8-bit greyscale or RGB, not interlaced");
                    }

                    colour = data[9] == 2;
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            p += 12 + length;
            if (type == "IEND")
            {
                break;
            }
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        byte[] raw = inflated.ToArray();
        int channels = colour ? 3 : 1;
        int stride = 1 + width * channels;
        if (raw.Length != height * stride)
        {
            throw new InvalidDataException($"expected {height * stride} bytes of scanlines, got {raw.Length}");
        }

        byte[] gray = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            if (raw[y * stride] != 0)
            {
                throw new InvalidDataException("only filter type 0");
            }

            for (int x = 0; x < width; x++)
            {
                int at = y * stride + 1 + x * channels;
                gray[y * width + x] = colour ? (byte)((299 * raw[at] + 587 * raw[at + 1] + 114 * raw[at + 2]) / 1000) : raw[at];
            }
        }

        return (gray, width, height);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
        }

        return ~crc;
    }
}
