using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;
using Terminal.Drivers.Display.Tft;

namespace Terminal.Tests.Display.Tft;

/// <summary>
/// The picture a scene describes, computed pixel by pixel the plain way (no bands, no row copies, no runs): the
/// reference the panel models' RAM is compared with.
/// </summary>
internal static class ScenePicture
{
    public static int[] Render(TftScene scene)
    {
        var picture = new int[scene.Width * scene.Height];
        Array.Fill(picture, scene.Background);
        for (int e = 0; e < scene.Count; e++)
        {
            // A text element's characters and its glyphs' left edges, found once per element.
            string text = TextOf(scene, e);
            int[] lefts = scene.KindOf(e) == SceneElementKind.Text ? GlyphLefts(scene, e, text) : [];
            for (int y = scene.Y(e); y < scene.Y(e) + scene.HeightOf(e); y++)
            {
                for (int x = scene.X(e); x < scene.X(e) + scene.WidthOf(e); x++)
                {
                    bool set = scene.KindOf(e) == SceneElementKind.Text ? TextPixel(scene, e, text, lefts, x, y) : Pixel(scene, e, x, y);
                    picture[y * scene.Width + x] = set ? scene.ForegroundOf(e) : scene.BackgroundOf(e);
                }
            }
        }

        return picture;
    }

    private static bool Pixel(TftScene scene, int e, int x, int y)
    {
        int scale = scene.ScaleOf(e);
        switch (scene.KindOf(e))
        {
            case SceneElementKind.Fill:
                return true;
            case SceneElementKind.Modules:
                var matrix = (IModuleMatrix)scene.SourceOf(e);
                int quiet = scene.Style2Of(e);
                int mx = Floor(x - scene.X(e), scale) - quiet;
                int my = Floor(y - scene.Y(e), scale) - quiet;
                return mx >= 0 && my >= 0 && mx < matrix.Size && my < matrix.Size && matrix.IsDark(mx, my);
            case SceneElementKind.Bitmap:
                var plane = (BitPlane)scene.SourceOf(e);
                int px = Floor(x - scene.X(e) - (scene.WidthOf(e) - plane.Width * scale) / 2, scale);
                int py = Floor(y - scene.Y(e) - (scene.HeightOf(e) - plane.Height * scale) / 2, scale);
                return px >= 0 && py >= 0 && px < plane.Width && py < plane.Height && plane.IsSet(px, py);
            default:
                return false;
        }
    }

    private static string TextOf(TftScene scene, int e) => scene.SourceOf(e) switch
    {
        string s => s.Substring(scene.StartOf(e), scene.LengthOf(e)),
        char[] c => new string(c, 0, scene.LengthOf(e)),
        _ => "",
    };

    private static int[] GlyphLefts(TftScene scene, int e, string text)
    {
        Font font = scene.FontOf(e);
        int scale = scene.ScaleOf(e);
        int width = 0;
        foreach (char c in text)
        {
            width += font.Advance(c);
        }

        width = text.Length == 0 ? 0 : (width - font.Spacing) * scale;
        int left = scene.X(e);
        var align = (TextAlign)scene.Style2Of(e);
        if (width < scene.WidthOf(e) && align != TextAlign.Left)
        {
            left += align == TextAlign.Right ? scene.WidthOf(e) - width : (scene.WidthOf(e) - width) / 2;
        }

        var lefts = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            lefts[i] = left;
            left += font.Advance(text[i]) * scale;
        }

        return lefts;
    }

    private static bool TextPixel(TftScene scene, int e, string text, int[] lefts, int x, int y)
    {
        Font font = scene.FontOf(e);
        int scale = scene.ScaleOf(e);
        int row = Floor(y - scene.Y(e) - (scene.HeightOf(e) - font.Height * scale) / 2, scale);
        if (row < 0 || row >= font.Height)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            int glyph = font.GlyphFor(text[i]);
            int column = Floor(x - lefts[i], scale);
            if (column >= 0 && column < font.GlyphWidth(glyph))
            {
                return ((font.ColumnBits(glyph, column) >> row) & 1) != 0;
            }
        }

        return false;
    }

    private static int Floor(int value, int divisor) => value < 0 ? -1 : value / divisor;
}
