using Terminal.Drivers.Display;
using Terminal.Firmware.Screens;
using Xunit;

namespace Terminal.Tests.Display;

public class ScreenPainterTests
{
    public static readonly string?[] OddTexts =
    {
        null, "", " ", "Cafe Central", new string('W', 300), "Café ☕ 東京 €", "\t\r\n\0\u0007", "\n\n\n\n\n\n\n\n",
        "12.50", "-0.01", "1,234,567,890.00", "EUR 12.50", string.Concat(Enumerable.Repeat("word ", 80)),
    };

    public static TheoryData<int> OddTextIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < OddTexts.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static Framebuffer Clean(Framebuffer fb)
    {
        for (int p = 0; p < Framebuffer.Pages; p++)
        {
            fb.MarkPageClean(p);
        }

        return fb;
    }

    [Theory]
    [MemberData(nameof(OddTextIndexes))]
    public void Every_screen_renders_odd_text_without_exceptions(int index)
    {
        string? text = OddTexts[index];
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        foreach (Action draw in new Action[]
        {
            () => Assert.True(screens.ShowIdle(text, false, false)),
            () => Assert.True(screens.ShowAmountEntry(text, text)),
            () => Assert.True(screens.ShowAmountConfirm(text, text)),
            () => Assert.True(screens.ShowQr(TestMatrix.QrLike(25, 1), text, int.MinValue)),
            () => Assert.True(screens.UpdateCountdown(int.MaxValue)),
            () => Assert.True(screens.ShowQrUnavailable(text, text)),
            () => Assert.True(screens.ShowScanCustomer(text)),
            () => Assert.True(screens.ShowProcessing(text)),
            () => Assert.True(screens.Tick()),
            () => Assert.True(screens.ShowRefundProgress(text)),
            () => Assert.True(screens.ShowDiagnostics(text, new[] { text!, text!, null! })),
            () => Assert.True(screens.NextDiagnosticsPage() || screens.DiagnosticsPageCount == 1),
            () => Assert.True(screens.ShowResult(ResultKind.Declined, text, text)),
            () => Assert.True(screens.ShowRefundResult(ResultKind.NeedsReview, text, text)),
            () => Assert.True(screens.Acknowledge()),
            () => Assert.True(screens.ShowError(text, text)),
            () => Assert.True(screens.Acknowledge()),
        })
        {
            draw();
        }

        Assert.Equal(0, fb.ClipLeft);
        Assert.Equal(128, fb.ClipRight);
    }

    [Fact]
    public void Result_screens_stay_until_acknowledged()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        Assert.True(screens.ShowResult(ResultKind.Success, "12.50", null));
        Assert.True(screens.RequiresAcknowledge);
        string paid = Pictures.Region(fb, 0, 0, 128, 64);

        Assert.False(screens.ShowIdle("Shop", true, true));
        Assert.False(screens.ShowProcessing("..."));
        Assert.False(screens.ShowQr(TestMatrix.QrLike(21, 1), "1.00", 60));
        Assert.False(screens.ShowError("network down", null)); // must not hide the result
        Assert.False(screens.ShowDiagnostics("x", new[] { "y" }));
        Assert.False(screens.ShowBlank());
        Assert.False(screens.Tick());
        Assert.False(screens.UpdateCountdown(10));
        Assert.Equal(paid, Pictures.Region(fb, 0, 0, 128, 64));
        Assert.Equal(ScreenKind.Result, screens.Current);

        Assert.True(screens.Acknowledge());
        Assert.False(screens.RequiresAcknowledge);
        Assert.False(screens.Acknowledge());
        Assert.Equal(paid, Pictures.Region(fb, 0, 0, 128, 64)); // still visible until the next screen
        Assert.True(screens.ShowIdle("Shop", true, true));
    }

    [Fact]
    public void A_newer_result_replaces_a_pending_one_and_errors_wait_too()
    {
        var screens = new ScreenPainter(new Framebuffer());
        screens.ShowResult(ResultKind.NeedsReview, "12.50", null);
        Assert.True(screens.ShowResult(ResultKind.Success, "12.50", "Confirmed after recovery"));
        Assert.True(screens.ShowRefundResult(ResultKind.Success, "1.00", null));
        Assert.Equal(ScreenKind.RefundResult, screens.Current);
        screens.Acknowledge();

        Assert.True(screens.ShowError("Printer jam", "Open the lid"));
        Assert.True(screens.RequiresAcknowledge);
        Assert.False(screens.ShowIdle("Shop", true, true));
        Assert.True(screens.ShowResult(ResultKind.Cancelled, null, null));
        Assert.True(screens.RequiresAcknowledge);
    }

    [Fact]
    public void Qr_gets_the_largest_scale_at_the_left_edge_with_a_lit_quiet_zone()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        var code = TestMatrix.QrLike(25, 3);
        Assert.True(screens.ShowQr(code, "12.50", 120));
        // (25 + 4) x 2 = 58 pixels, centred vertically: rows 3..60, columns 0..57.
        Assert.Equal(2, QrLayout.ScaleFor(25));
        Assert.True(fb.GetPixel(0, 3));
        Assert.True(fb.GetPixel(57, 60));
        Assert.False(fb.GetPixel(0, 2));
        Assert.False(fb.GetPixel(58, 30));
        for (int my = 0; my < 25; my++)
        {
            for (int mx = 0; mx < 25; mx++)
            {
                bool lit = !code.IsDark(mx, my);
                Assert.Equal(lit, fb.GetPixel(4 + 2 * mx, 7 + 2 * my));
                Assert.Equal(lit, fb.GetPixel(5 + 2 * mx, 8 + 2 * my));
            }
        }
    }

    [Theory]
    [InlineData(21, 2)]
    [InlineData(28, 2)]
    [InlineData(29, 1)]
    [InlineData(57, 1)]
    [InlineData(60, 1)]
    public void Qr_layout_scales(int size, int scale)
    {
        Assert.Equal(scale, QrLayout.ScaleFor(size));
        Assert.True(size <= QrLayout.MaxModulesAt(scale));
        Assert.True(size > QrLayout.MaxModulesAt(scale + 1));
    }

    [Theory]
    [InlineData(61)]
    [InlineData(177)]
    [InlineData(0)]
    public void A_code_that_does_not_fit_shows_the_readable_fallback(int size)
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        Assert.True(screens.ShowQr(size == 0 ? null! : new TestMatrix(size, 1), "12.50", 60));
        Assert.Equal(ScreenKind.QrUnavailable, screens.Current);
        var expected = new Framebuffer();
        new ScreenPainter(expected).ShowQrUnavailable("12.50", null);
        Assert.Equal(Pictures.Region(expected, 0, 0, 128, 64), Pictures.Region(fb, 0, 0, 128, 64));
        Assert.False(screens.UpdateCountdown(59));
    }

    [Fact]
    public void Countdown_repaints_only_its_digits_without_allocating()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        screens.ShowQr(TestMatrix.QrLike(25, 3), "12.50", 300);
        Clean(fb);
        Assert.True(screens.UpdateCountdown(299)); // 5:00 -> 4:59: three digits change
        Assert.Equal(new[] { 7 }, Enumerable.Range(0, 8).Where(fb.IsPageDirty));
        Assert.True(fb.DirtyFirstColumn(7) >= 61, "only the countdown box, right of the code");

        Clean(fb);
        screens.UpdateCountdown(298); // only the last digit
        int first = Enumerable.Range(0, 8).Where(fb.IsPageDirty).Min(fb.DirtyFirstColumn);
        int last = Enumerable.Range(0, 8).Where(fb.IsPageDirty).Max(fb.DirtyLastColumn);
        Assert.True(last - first < 6, $"one digit is 5 columns wide, dirty {first}..{last}");

        Clean(fb);
        screens.UpdateCountdown(298);
        Assert.False(fb.IsDirty);

        screens.UpdateCountdown(297);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 1000; s > 0; s--)
        {
            screens.UpdateCountdown(s);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Spinner_steps_touch_only_its_box_without_allocating()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        screens.ShowProcessing("Waiting for the customer");
        string text = Pictures.Region(fb, 0, 34, 128, 30);
        for (int step = 0; step < 16; step++)
        {
            Clean(fb);
            Assert.True(screens.Tick());
            int[] dirty = Enumerable.Range(0, 8).Where(fb.IsPageDirty).ToArray();
            Assert.NotEmpty(dirty);
            Assert.All(dirty, p => Assert.True(p is 2 or 3, $"page {p}"));
            Assert.All(dirty, p => Assert.True(fb.DirtyFirstColumn(p) >= 56 && fb.DirtyLastColumn(p) <= 71));
        }

        Assert.Equal(text, Pictures.Region(fb, 0, 34, 128, 30));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            screens.Tick();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Spinner_frames_differ_and_repeat_after_eight_steps()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        screens.ShowRefundProgress("5.00");
        var frames = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            frames.Add(Pictures.Region(fb, 56, 16, 16, 16));
            screens.Tick();
        }

        Assert.Equal(8, frames.Take(8).Distinct().Count());
        Assert.Equal(frames[0], frames[8]);
    }

    [Fact]
    public void Tick_and_countdown_do_nothing_on_other_screens()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        screens.ShowIdle("Shop", true, true);
        Clean(fb);
        Assert.False(screens.Tick());
        Assert.False(screens.UpdateCountdown(5));
        Assert.False(fb.IsDirty);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(9, "0:09")]
    [InlineData(59, "0:59")]
    [InlineData(60, "1:00")]
    [InlineData(599, "9:59")]
    [InlineData(600, "10:00")]
    [InlineData(-5, "0:00")]
    [InlineData(1_000_000, "99:59")]
    public void Countdown_format(int seconds, string expected)
    {
        var buffer = new char[5];
        int n = Countdown.Format(seconds, buffer);
        Assert.Equal(expected, new string(buffer, 0, n));
    }

    [Fact]
    public void Idle_says_ready_only_with_network_and_clock()
    {
        string Ready(bool net, bool time)
        {
            var fb = new Framebuffer();
            new ScreenPainter(fb).ShowIdle("Shop", net, time);
            return Pictures.Region(fb, 0, 15, 128, 16);
        }

        var readyFb = new Framebuffer();
        var screens = new ScreenPainter(readyFb);
        screens.ShowIdle("Shop", true, true);
        Assert.Equal(ScreenKind.Idle, screens.Current);
        Assert.NotEqual(Ready(true, true), Ready(false, true));
        Assert.Equal(Ready(false, true), Ready(true, false));
        Assert.Equal(Ready(false, false), Ready(true, false));
    }

    [Fact]
    public void Diagnostics_wrap_and_page()
    {
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        string[] lines = Enumerable.Range(1, 10).Select(i => $"PASS check number {i}").ToArray();
        lines[3] = "FAIL a check with a long explanation that wraps";
        Assert.True(screens.ShowDiagnostics("Self-test", lines));
        Assert.Equal(2, screens.DiagnosticsPageCount); // 10 lines + 2 wrapped rows = 12 rows, 6 per page
        Assert.Equal(0, screens.DiagnosticsPage);
        string first = Pictures.Region(fb, 0, 0, 128, 64);
        Assert.True(screens.NextDiagnosticsPage());
        Assert.Equal(1, screens.DiagnosticsPage);
        Assert.NotEqual(first, Pictures.Region(fb, 0, 0, 128, 64));
        Assert.True(screens.NextDiagnosticsPage());
        Assert.Equal(0, screens.DiagnosticsPage);
        Assert.Equal(first, Pictures.Region(fb, 0, 0, 128, 64));
        Assert.True(screens.ShowDiagnosticsPage(-1));
        Assert.Equal(1, screens.DiagnosticsPage);

        Assert.True(screens.ShowDiagnostics("Empty", Array.Empty<string>()));
        Assert.Equal(1, screens.DiagnosticsPageCount);
        Assert.True(screens.ShowDiagnostics("Null", null!));
        screens.ShowIdle("Shop", true, true);
        Assert.False(screens.NextDiagnosticsPage());
    }

    [Fact]
    public void Long_reasons_end_in_an_ellipsis()
    {
        var fb = new Framebuffer();
        new ScreenPainter(fb).ShowResult(ResultKind.Declined, "12.50", string.Concat(Enumerable.Repeat("blah ", 30)));
        // Two reason lines fit under the amount; the second ends in "..." (three 2x2 dots at the bottom row of the glyphs).
        var dots = new Framebuffer();
        TextPainter.Draw(dots, Terminal.Drivers.Display.Fonts.SmallFont.Create(), "...", 0, 0);
        string ellipsis = Pictures.Region(dots, 0, 0, 17, 8);
        bool found = Enumerable.Range(0, 112).Any(x => Pictures.Region(fb, x, 56, 17, 8) == ellipsis);
        Assert.True(found);
    }

    [Fact]
    public void Gallery_screens_render()
    {
        foreach (var (name, draw) in ScreenGallery.Scenes)
        {
            Framebuffer fb = ScreenGallery.Render(draw);
            Assert.True(fb.IsDirty, name);
        }
    }
}

public class DisplayChecksTests
{
    [Fact]
    public void Self_test_display_checks_pass()
    {
        var lines = new List<string>();
        var report = new Terminal.Firmware.Diagnostics.SelfTestReport(lines.Add);
        Terminal.Firmware.Diagnostics.DisplayChecks.Run(report);
        Assert.Equal(5, report.Passed);
        Assert.Equal(0, report.Failed);
        Assert.All(lines, l => Assert.StartsWith("PASS display", l));
    }
}
