using System.Text;
using Terminal.Drivers.Display;

namespace Terminal.Tests.Display;

/// <summary>Text pictures of framebuffer regions: '#' lit, '.' unlit; compact block renderings for the docs.</summary>
internal static class Pictures
{
    public static string Region(Framebuffer fb, int x, int y, int width, int height)
    {
        var sb = new StringBuilder();
        for (int row = y; row < y + height; row++)
        {
            for (int col = x; col < x + width; col++)
            {
                sb.Append(fb.GetPixel(col, row) ? '#' : '.');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    public static string[] Rows(Framebuffer fb, int x, int y, int width, int height) =>
        Region(fb, x, y, width, height).TrimEnd('\n').Split('\n');

    /// <summary>
    /// The whole screen in a frame, two pixel rows per character with half blocks (lit = ink):
    /// 130 x 34 characters.
    /// </summary>
    public static string Blocks(Framebuffer fb)
    {
        var sb = new StringBuilder();
        sb.Append('+').Append('-', Framebuffer.Width).Append("+\n");
        for (int row = 0; row < Framebuffer.Height; row += 2)
        {
            sb.Append('|');
            for (int col = 0; col < Framebuffer.Width; col++)
            {
                bool top = fb.GetPixel(col, row);
                bool bottom = fb.GetPixel(col, row + 1);
                sb.Append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }

            sb.Append("|\n");
        }

        sb.Append('+').Append('-', Framebuffer.Width).Append("+\n");
        return sb.ToString();
    }

    /// <summary>A framebuffer-layout image from the model, as a fresh framebuffer for comparisons.</summary>
    public static string Hex(byte[] image) => Convert.ToHexString(image);
}

/// <summary>A module matrix for tests: explicit rows, or a pseudo-random pattern with finder-like corners.</summary>
internal sealed class TestMatrix : IModuleMatrix
{
    private readonly bool[,] _dark;

    public TestMatrix(int size, int seed)
    {
        _dark = new bool[size, size];
        var random = new Random(seed);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                _dark[x, y] = random.Next(2) == 0;
            }
        }
    }

    /// <summary>Random modules with the three finder patterns of a QR symbol, so pictures look familiar.</summary>
    public static TestMatrix QrLike(int size, int seed)
    {
        var matrix = new TestMatrix(size, seed);
        matrix.Finder(0, 0);
        matrix.Finder(size - 7, 0);
        matrix.Finder(0, size - 7);
        return matrix;
    }

    private void Finder(int left, int top)
    {
        for (int y = -1; y <= 7; y++)
        {
            for (int x = -1; x <= 7; x++)
            {
                int mx = left + x;
                int my = top + y;
                if (mx < 0 || my < 0 || mx >= Size || my >= Size)
                {
                    continue;
                }

                int ring = Math.Max(Math.Abs(x - 3), Math.Abs(y - 3));
                _dark[mx, my] = ring != 2 && ring != 4;
            }
        }
    }

    public TestMatrix(params string[] rows)
    {
        _dark = new bool[rows.Length, rows.Length];
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < rows.Length; x++)
            {
                _dark[x, y] = rows[y][x] == '#';
            }
        }
    }

    public int Size => _dark.GetLength(0);

    public bool IsDark(int x, int y) => _dark[x, y];
}
