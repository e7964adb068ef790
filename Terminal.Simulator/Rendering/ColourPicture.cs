using System.Text;

namespace Terminal.Simulator.Rendering;

/// <summary>
/// Draws a colour panel's picture in the terminal: 24-bit ANSI colours on upper half blocks (▀, foreground the upper
/// cell, background the lower one), each cell the average of a square of panel pixels, so a 240- or 320-pixel-wide
/// panel becomes 80 columns (3 or 4 pixels a cell) and a QR module of 4 pixels or more stays visible.
/// </summary>
public static class ColourPicture
{
    public const int Columns = 80;

    /// <summary>The picture (<c>[y * width + x]</c> in RGB565) as framed lines of coloured half blocks.</summary>
    public static string Render(int[] rgb565, int width, int height)
    {
        int cell = (width + Columns - 1) / Columns;
        int columns = width / cell;
        int rows = height / cell;
        var text = new StringBuilder(columns * (rows / 2 + 2) * 40);
        text.Append('┌').Append('─', columns).Append('┐').Append('\n');
        for (int row = 0; row + 1 < rows; row += 2)
        {
            text.Append('│');
            for (int column = 0; column < columns; column++)
            {
                int top = Average(rgb565, width, column * cell, row * cell, cell);
                int bottom = Average(rgb565, width, column * cell, (row + 1) * cell, cell);
                text.Append($"\u001b[38;2;{top >> 16};{(top >> 8) & 0xFF};{top & 0xFF}m\u001b[48;2;{bottom >> 16};{(bottom >> 8) & 0xFF};{bottom & 0xFF}m▀");
            }

            text.Append("\u001b[0m│\n");
        }

        text.Append('└').Append('─', columns).Append('┘').Append('\n');
        return text.ToString();
    }

    // Mean colour (0xRRGGBB) of the cell x cell square at (left, top).
    private static int Average(int[] rgb565, int width, int left, int top, int cell)
    {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int y = top; y < top + cell; y++)
        {
            for (int x = left; x < left + cell; x++)
            {
                int rgb = PngWriter.Rgb888(rgb565[y * width + x]);
                r += rgb >> 16;
                g += (rgb >> 8) & 0xFF;
                b += rgb & 0xFF;
            }
        }

        int n = cell * cell;
        return ((r / n) << 16) | ((g / n) << 8) | (b / n);
    }
}
