using System.Text;

namespace Terminal.Simulator.Rendering;

/// <summary>
/// Draws a 128x64 picture in a terminal with Unicode half blocks: one character cell holds two pixel rows
/// (upper half ▀, lower half ▄, both █), so the OLED takes 128 columns x 32 lines inside a frame.
/// </summary>
public static class OledPicture
{
    public const int Width = 128;
    public const int Height = 64;

    /// <summary>The picture as lines of text, framed; <paramref name="pixels"/>[y * 128 + x] = lit.</summary>
    public static string Render(bool[] pixels)
    {
        var text = new StringBuilder((Width + 4) * (Height / 2 + 2));
        text.Append('┌').Append('─', Width).Append('┐').Append('\n');
        for (int y = 0; y < Height; y += 2)
        {
            text.Append('│');
            for (int x = 0; x < Width; x++)
            {
                bool top = pixels[y * Width + x];
                bool bottom = pixels[(y + 1) * Width + x];
                text.Append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }

            text.Append('│').Append('\n');
        }

        text.Append('└').Append('─', Width).Append('┘').Append('\n');
        return text.ToString();
    }
}
