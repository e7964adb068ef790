using System.Text;

namespace Terminal.Simulator.Rendering;

/// <summary>How the OLED is drawn in the terminal.</summary>
public enum PictureStyle
{
    /// <summary>Half blocks (▀ ▄ █): one character cell = 1 x 2 pixels, 128 columns x 32 lines.</summary>
    Full,

    /// <summary>Quadrant blocks (▘ ▝ ▖ ▗ ...): one cell = 2 x 2 pixels, 64 columns x 32 lines, for narrow terminals.</summary>
    Compact,
}

/// <summary>Draws a 128x64 monochrome picture as framed text with Unicode block characters.</summary>
public static class OledPicture
{
    public const int Width = 128;
    public const int Height = 64;

    // Index: top-left 1, top-right 2, bottom-left 4, bottom-right 8.
    private const string Quadrants = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█";

    /// <summary>The picture as lines of text in a frame; <paramref name="pixels"/>[y * 128 + x] = lit.</summary>
    public static string Render(bool[] pixels, PictureStyle style = PictureStyle.Full)
    {
        int columns = style == PictureStyle.Full ? Width : Width / 2;
        var text = new StringBuilder((columns + 3) * (Height / 2 + 2));
        text.Append('┌').Append('─', columns).Append('┐').Append('\n');
        for (int y = 0; y < Height; y += 2)
        {
            text.Append('│');
            if (style == PictureStyle.Full)
            {
                for (int x = 0; x < Width; x++)
                {
                    bool top = pixels[y * Width + x];
                    bool bottom = pixels[(y + 1) * Width + x];
                    text.Append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
                }
            }
            else
            {
                for (int x = 0; x < Width; x += 2)
                {
                    int index = (pixels[y * Width + x] ? 1 : 0) | (pixels[y * Width + x + 1] ? 2 : 0)
                        | (pixels[(y + 1) * Width + x] ? 4 : 0) | (pixels[(y + 1) * Width + x + 1] ? 8 : 0);
                    text.Append(Quadrants[index]);
                }
            }

            text.Append('│').Append('\n');
        }

        text.Append('└').Append('─', columns).Append('┘').Append('\n');
        return text.ToString();
    }

    /// <summary>Full when the console is wide enough for 130 columns (or not a console at all), else compact.</summary>
    public static PictureStyle StyleForConsole()
    {
        try
        {
            return Console.IsOutputRedirected || Console.WindowWidth >= Width + 2 ? PictureStyle.Full : PictureStyle.Compact;
        }
        catch (IOException)
        {
            return PictureStyle.Full;
        }
    }
}
