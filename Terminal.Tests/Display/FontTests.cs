using System.Text;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;
using Xunit;

namespace Terminal.Tests.Display;

public class FontTests
{
    private static readonly Font Small = SmallFont.Create();
    private static readonly Font Amount = AmountFont.Create();

    public static TheoryData<string> FontNames => new() { "small", "amount" };

    [Theory]
    [MemberData(nameof(FontNames))]
    public void Every_glyph_renders_its_reference_picture(string name)
    {
        Font font = name == "small" ? Small : Amount;
        var art = FontArt.Parse(name == "small" ? FontArt.Small : FontArt.Amount);
        var mismatches = new List<char>();
        foreach (var (c, rows) in art)
        {
            var fb = new Framebuffer();
            fb.Clear(true); // glyphs are opaque: the background must come out unlit
            int right = TextPainter.DrawChar(fb, font, c, 1, 1, 1, false);
            Assert.Equal(1 + rows[0].Length, right);
            if (!Pictures.Rows(fb, 1, 1, rows[0].Length, font.Height).SequenceEqual(rows))
            {
                mismatches.Add(c);
            }
        }

        Assert.True(mismatches.Count == 0, $"glyphs differ from the art: '{string.Join("', '", mismatches)}'. Table for the art:\n{Table(font, art)}");
    }

    [Fact]
    public void Small_font_covers_printable_ascii_and_amount_font_the_amount_characters()
    {
        Assert.Equal(95, FontArt.Parse(FontArt.Small).Count);
        for (char c = ' '; c <= '~'; c++)
        {
            Assert.True(Small.Contains(c), $"small font lacks '{c}'");
        }

        Assert.True(Amount.CanRender("0123456789.,- :"));
        Assert.False(Amount.CanRender("EUR"));
        Assert.False(Amount.Contains('+'));
        Assert.False(Small.Contains('é'));
        Assert.False(Small.Contains('\n'));
    }

    [Fact]
    public void Missing_characters_draw_the_fallback_glyph()
    {
        var expected = new Framebuffer();
        TextPainter.Draw(expected, Small, "?", 0, 0);
        var actual = new Framebuffer();
        TextPainter.Draw(actual, Small, "é", 0, 0);
        Assert.Equal(Pictures.Region(expected, 0, 0, 8, 8), Pictures.Region(actual, 0, 0, 8, 8));
    }

    [Fact]
    public void Measuring_counts_spacing_between_glyphs_only()
    {
        Assert.Equal(0, Small.Measure(""));
        Assert.Equal(0, Small.Measure((string?)null));
        Assert.Equal(5, Small.Measure("A"));
        Assert.Equal(21 * 6 - 1, Small.Measure(new string('x', 21)));
        Assert.Equal(21, SmallFont.CharsPerLine);
        // digits 10 + 2 spacing, '.' 3 wide
        Assert.Equal(10 + 2 + 3 + 2 + 10 + 2 + 10, Amount.Measure("1.23"));
        Assert.Equal(AmountFont.DigitAdvance, Amount.Advance('7'));
        Assert.Equal(Amount.Advance('1'), Amount.Advance('8')); // tabular digits: a countdown does not jitter
    }

    [Fact]
    public void Text_is_centred_on_the_screen()
    {
        var fb = new Framebuffer();
        int left = TextPainter.DrawCentered(fb, Small, "OK", 0, 1);
        Assert.Equal((128 - 11) / 2, left);
        int lit = Enumerable.Range(0, 128).Where(x => Enumerable.Range(0, 8).Any(y => fb.GetPixel(x, y))).Min();
        int litRight = Enumerable.Range(0, 128).Where(x => Enumerable.Range(0, 8).Any(y => fb.GetPixel(x, y))).Max();
        Assert.Equal(left, lit);
        Assert.Equal(left + 10, litRight);
    }

    [Fact]
    public void Text_is_clipped_at_the_screen_edges_without_errors()
    {
        var fb = new Framebuffer();
        TextPainter.Draw(fb, Small, "HELLO", -3, -2);
        TextPainter.Draw(fb, Small, new string('W', 40), 100, 60);
        TextPainter.Draw(fb, Amount, "123", 120, 50, 2, false);
        TextPainter.Draw(fb, Small, "far away", 500, 500);
        TextPainter.Draw(fb, Small, "far away", -500, 0);
        // 'H' column 3 (x = 0) of rows 2..6 is visible: the crossbar row 3 of the glyph is at y = 1.
        Assert.True(fb.GetPixel(0, 1));
    }

    [Fact]
    public void Aligned_text_wider_than_its_box_is_clipped_to_the_box()
    {
        var fb = new Framebuffer();
        TextPainter.DrawAligned(fb, Small, "WWWWWWWWWW", 10, 0, 20, TextAlign.Center, 1, false);
        for (int x = 0; x < 128; x++)
        {
            bool any = Enumerable.Range(0, 8).Any(y => fb.GetPixel(x, y));
            if (x < 10 || x >= 30)
            {
                Assert.False(any, $"column {x} outside the box was drawn");
            }
        }

        Assert.Equal(0, fb.ClipLeft);
        Assert.Equal(128, fb.ClipRight);
    }

    [Fact]
    public void Scale_doubles_pixels_and_inverse_swaps_them()
    {
        var fb = new Framebuffer();
        TextPainter.Draw(fb, Small, "I", 0, 0, 2, false);
        string[] rows = Pictures.Rows(fb, 0, 0, 10, 4);
        Assert.Equal("..######..", rows[0]);
        Assert.Equal("..######..", rows[1]);
        Assert.Equal("....##....", rows[2]);

        var inverse = new Framebuffer();
        TextPainter.Draw(inverse, Small, "I", 0, 0, 1, true);
        Assert.Equal("#...#", Pictures.Rows(inverse, 0, 0, 5, 1)[0]);
        Assert.Equal("#####", Pictures.Rows(inverse, 0, 7, 5, 1)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextPainter.Draw(fb, Amount, "1", 0, 0, 3, false));
    }

    [Fact]
    public void DrawInBox_repaints_the_box_and_dirties_only_changed_columns()
    {
        var fb = new Framebuffer();
        char[] chars = "1:59".ToCharArray();
        TextPainter.DrawInBox(fb, Small, chars, 4, 30, 16, 40, TextAlign.Left, 1, false);
        for (int p = 0; p < 8; p++)
        {
            fb.MarkPageClean(p);
        }

        chars[3] = '8';
        TextPainter.DrawInBox(fb, Small, chars, 4, 30, 16, 40, TextAlign.Left, 1, false);
        Assert.True(fb.IsPageDirty(2));
        Assert.Equal(30 + 18, fb.DirtyFirstColumn(2)); // the fourth character starts at 3 x 6
        Assert.True(fb.DirtyLastColumn(2) <= 30 + 22);
        Assert.False(fb.IsPageDirty(1));
        Assert.False(fb.IsPageDirty(3));

        // A shorter value clears what the longer one left behind.
        TextPainter.DrawInBox(fb, Small, "9".ToCharArray(), 1, 30, 16, 40, TextAlign.Left, 1, false);
        Assert.Equal(Pictures.Region(Single('9', 30, 16), 30, 16, 40, 8), Pictures.Region(fb, 30, 16, 40, 8));
    }

    [Theory]
    [InlineData("Payment declined by the issuer bank", 21, new[] { "Payment declined by", "the issuer bank" })]
    [InlineData("  leading and trailing  ", 21, new[] { "leading and trailing" })]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 21, new[] { "ABCDEFGHIJKLMNOPQRSTU", "VWXYZ" })]
    [InlineData("one\ntwo\n\nfour", 21, new[] { "one", "two", "", "four" })]
    [InlineData("exactly twenty-one ch", 21, new[] { "exactly twenty-one ch" })]
    [InlineData("a b", 1, new[] { "a", "b" })]
    [InlineData("", 21, new string[0])]
    [InlineData("   ", 21, new string[0])]
    public void Wrapping_breaks_at_spaces_and_inside_overlong_words(string text, int chars, string[] expected)
    {
        int width = chars * SmallFont.Advance - SmallFont.Spacing;
        var lines = new List<string>();
        int position = 0;
        while ((position = TextWrap.NextLine(Small, text, position, width, out int start, out int length)) >= 0)
        {
            lines.Add(text.Substring(start, length));
            Assert.True(Small.Measure(text, start, length) <= width);
        }

        Assert.Equal(expected, lines);
        Assert.Equal(expected.Length, TextWrap.CountLines(Small, text, width));
    }

    [Fact]
    public void Wrapping_null_gives_no_lines() => Assert.Equal(0, TextWrap.CountLines(Small, null, 100));

    [Fact]
    public void Font_constructor_checks_its_tables()
    {
        Assert.Throws<ArgumentException>(() => new Font(new byte[4], null, 'A', 'A', 5, 8, 1, 'A'));
        Assert.Throws<ArgumentException>(() => new Font(new byte[5], null, 'A', 'A', 5, 8, 1, 'B'));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Font(new byte[5], null, 'A', 'A', 5, 33, 1, 'A'));
        Assert.Throws<ArgumentException>(() => new Font(new byte[10], new byte[1], 'A', 'B', 5, 8, 1, 'A'));
    }

    private static Framebuffer Single(char c, int x, int y)
    {
        var fb = new Framebuffer();
        TextPainter.DrawChar(fb, Small, c, x, y, 1, false);
        return fb;
    }

    private static string Table(Font font, Dictionary<char, string[]> art)
    {
        var sb = new StringBuilder();
        foreach (var (c, rows) in art.OrderBy(kv => kv.Key))
        {
            var bytes = new List<string>();
            for (int col = 0; col < font.CellWidth; col++)
            {
                int bits = 0;
                for (int r = 0; r < rows.Length; r++)
                {
                    if (col < rows[r].Length && rows[r][col] == '#')
                    {
                        bits |= 1 << r;
                    }
                }

                for (int b = 0; b < font.BytesPerColumn; b++)
                {
                    bytes.Add($"0x{(bits >> (8 * b)) & 0xFF:X2}");
                }
            }

            sb.Append("            ").Append(string.Join(", ", bytes)).Append($",  // {(int)c:X2} {c}\n");
        }

        return sb.ToString();
    }
}
