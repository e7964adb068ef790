using Terminal.Drivers.Display;
using Xunit;

namespace Terminal.Tests.Display;

public class FramebufferTests
{
    [Fact]
    public void Pixels_use_the_ssd1306_page_layout()
    {
        var fb = new Framebuffer();
        fb.SetPixel(5, 0, true);
        fb.SetPixel(5, 7, true);
        fb.SetPixel(127, 63, true);
        fb.SetPixel(0, 10, true);
        Assert.Equal(0x81, fb.ReadByte(0, 5));
        Assert.Equal(0x80, fb.ReadByte(7, 127));
        Assert.Equal(0x04, fb.ReadByte(1, 0));
        Assert.True(fb.GetPixel(0, 10));
        Assert.False(fb.GetPixel(1, 10));
        fb.SetPixel(5, 7, false);
        Assert.Equal(0x01, fb.ReadByte(0, 5));
    }

    [Fact]
    public void Drawing_outside_the_screen_is_clipped_silently()
    {
        var fb = new Framebuffer();
        fb.SetPixel(-1, 0, true);
        fb.SetPixel(128, 0, true);
        fb.SetPixel(0, 64, true);
        fb.SetPixel(0, -1, true);
        fb.FillRect(-10, -10, 5, 5, true);
        fb.FillRect(120, 60, 100, 100, true);
        Assert.False(fb.GetPixel(-1, 0));
        Assert.Equal(8 * 4, Enumerable.Range(0, 64).Sum(y => Enumerable.Range(0, 128).Count(x => fb.GetPixel(x, y))));
    }

    [Fact]
    public void FillRect_across_page_boundaries()
    {
        var fb = new Framebuffer();
        fb.FillRect(2, 5, 3, 6, true); // rows 5..10
        Assert.Equal(
            "......\n" +
            "..###.\n" +
            "..###.\n" +
            "..###.\n" +
            "..###.\n" +
            "..###.\n" +
            "..###.\n" +
            "......\n",
            Pictures.Region(fb, 0, 4, 6, 8));
        Assert.Equal(0xE0, fb.ReadByte(0, 2));
        Assert.Equal(0x07, fb.ReadByte(1, 2));
    }

    [Fact]
    public void InvertRect_flips_only_inside()
    {
        var fb = new Framebuffer();
        fb.FillRect(0, 0, 4, 4, true);
        fb.InvertRect(2, 2, 4, 4);
        Assert.Equal(
            "####..\n" +
            "####..\n" +
            "##..##\n" +
            "##..##\n" +
            "..####\n" +
            "..####\n",
            Pictures.Region(fb, 0, 0, 6, 6));
    }

    [Fact]
    public void Lines_and_outline()
    {
        var fb = new Framebuffer();
        fb.DrawRect(1, 1, 5, 4, true);
        fb.DrawHorizontalLine(0, 6, 7, true);
        fb.DrawVerticalLine(3, 0, 2, false);
        Assert.Equal(
            ".......\n" +
            ".##.##.\n" +
            ".#...#.\n" +
            ".#...#.\n" +
            ".#####.\n" +
            ".......\n" +
            "#######\n",
            Pictures.Region(fb, 0, 0, 7, 7));
    }

    [Fact]
    public void WriteColumn_is_opaque_and_handles_any_alignment()
    {
        var fb = new Framebuffer();
        fb.FillRect(0, 0, 1, 20, true);
        fb.WriteColumn(0, 3, 0b1010_0101_0011, 12);
        string column = string.Concat(Enumerable.Range(0, 20).Select(y => fb.GetPixel(0, y) ? '#' : '.'));
        Assert.Equal("###" + "##..#.#..#.#" + "#####", column);
        fb.WriteColumn(1, 21, unchecked((int)0xFFFF_FFFF), 32);
        Assert.Equal(32, Enumerable.Range(0, 64).Count(y => fb.GetPixel(1, y)));
        Assert.False(fb.GetPixel(1, 20));
        Assert.False(fb.GetPixel(1, 53));
        fb.WriteColumn(2, 40, unchecked((int)0xFFFF_FFFF), 32); // rows 40..63 visible
        Assert.Equal(24, Enumerable.Range(0, 64).Count(y => fb.GetPixel(2, y)));
        Assert.Throws<ArgumentOutOfRangeException>(() => fb.WriteColumn(0, 0, 0, 33));
    }

    [Fact]
    public void Clip_rectangle_limits_every_primitive()
    {
        var fb = new Framebuffer();
        fb.SetClip(2, 2, 3, 3);
        fb.Clear(true);
        fb.WriteColumn(1, 0, -1, 8);
        fb.SetPixel(6, 3, true);
        fb.ResetClip();
        fb.SetPixel(7, 3, true);
        Assert.Equal(
            "........\n" +
            "........\n" +
            "..###...\n" +
            "..###..#\n" +
            "..###...\n" +
            "........\n",
            Pictures.Region(fb, 0, 0, 8, 6));
    }

    [Fact]
    public void Dirty_window_grows_only_on_real_changes()
    {
        var fb = new Framebuffer();
        Assert.False(fb.IsDirty);
        fb.SetPixel(10, 3, false); // already unlit: no change
        Assert.False(fb.IsDirty);
        fb.SetPixel(10, 3, true);
        fb.SetPixel(40, 5, true);
        fb.SetPixel(70, 60, true);
        Assert.True(fb.IsPageDirty(0));
        Assert.Equal(10, fb.DirtyFirstColumn(0));
        Assert.Equal(40, fb.DirtyLastColumn(0));
        Assert.False(fb.IsPageDirty(1));
        Assert.Equal(128, fb.DirtyFirstColumn(1));
        Assert.Equal(-1, fb.DirtyLastColumn(1));
        Assert.True(fb.IsPageDirty(7));
        fb.MarkPageClean(0);
        fb.MarkPageClean(7);
        Assert.False(fb.IsDirty);
        fb.FillRect(10, 3, 1, 1, true); // unchanged
        Assert.False(fb.IsDirty);
        fb.MarkAllDirty();
        Assert.Equal(0, fb.DirtyFirstColumn(4));
        Assert.Equal(127, fb.DirtyLastColumn(4));
    }

    [Fact]
    public void Modules_light_lit_dark_unlit_with_a_lit_quiet_zone()
    {
        var fb = new Framebuffer();
        var matrix = new TestMatrix(
            "#.",
            ".#");
        int side = fb.DrawModules(matrix, 1, 1, 2, 2);
        Assert.Equal(12, side);
        Assert.Equal(
            "..............\n" +
            ".############.\n" +
            ".############.\n" +
            ".############.\n" +
            ".############.\n" +
            ".####..######.\n" +
            ".####..######.\n" +
            ".######..####.\n" +
            ".######..####.\n" +
            ".############.\n" +
            ".############.\n" +
            ".############.\n" +
            ".############.\n" +
            "..............\n",
            Pictures.Region(fb, 0, 0, 14, 14));
    }

    [Fact]
    public void Module_scale_is_the_largest_integer_that_fits()
    {
        Assert.Equal(2, Framebuffer.ModuleScaleFor(21, 2, 64, 64)); // 25 x 2 = 50
        Assert.Equal(2, Framebuffer.ModuleScaleFor(28, 2, 64, 64)); // 32 x 2 = 64
        Assert.Equal(1, Framebuffer.ModuleScaleFor(29, 2, 64, 64)); // version 3
        Assert.Equal(1, Framebuffer.ModuleScaleFor(60, 2, 64, 64));
        Assert.Equal(0, Framebuffer.ModuleScaleFor(61, 2, 64, 64)); // version 11 does not fit
        Assert.Equal(0, Framebuffer.ModuleScaleFor(0, 2, 64, 64));
        Assert.Equal(1, Framebuffer.ModuleScaleFor(21, 2, 128, 40));
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_name()
    {
        var fb = new Framebuffer();
        Assert.Equal("page", Assert.Throws<ArgumentOutOfRangeException>(() => fb.ReadByte(8, 0)).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => fb.ReadByte(0, 128)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => fb.DrawModules(new TestMatrix(3, 1), 0, 0, 0, 2)).ParamName);
        Assert.Throws<ArgumentNullException>(() => fb.DrawModules(null!, 0, 0, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => fb.CopyTo(new byte[1023], 0));
    }
}
