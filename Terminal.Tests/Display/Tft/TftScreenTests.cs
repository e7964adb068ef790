using System.Text;
using Terminal.Drivers.Display.Tft;
using Terminal.Firmware.Screens;
using Terminal.Tests.Engine;
using Terminal.Tests.Qr;
using Terminal.Tests.Support;
using Xunit;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Terminal.Tests.Display.Tft;

/// <summary>
/// The terminal's screens on the colour panels, through the same screen layer the device runs
/// (<see cref="TerminalScreens"/> with a <see cref="TftRendering"/>): the order code as the panel shows it decodes,
/// at 4 pixels per module or more; a countdown tick and a spinner step send only the elements that changed;
/// steady-state refreshes allocate nothing; results stay distinguishable without colour.
/// </summary>
public sealed class TftScreenTests
{
    // An Antom order code of the usual length (59 bytes, docs/decisions/002).
    private static readonly byte[] OrderCode = Encoding.ASCII.GetBytes(QrTestSupport.AntomUrl(59, new Random(59)));

    public static IEnumerable<object[]> Panels() => TftPanel.Cases();

    [Theory]
    [MemberData(nameof(Panels))]
    public void The_order_code_on_the_panel_decodes_with_zxing_at_4_pixels_per_module_or_more(string controller, int width, int height)
    {
        var rig = new Rig(controller, width, height);

        rig.Screens.OnShowQr(null!, "ref", OrderCode, 0, OrderCode.Length, 1250, "EUR", 300_000);
        rig.Screens.Push();

        Assert.Equal(ScreenKind.Qr, rig.Screens.Current);
        Assert.True(ModuleScale(rig.Rendering.Scene) >= 4, $"{ModuleScale(rig.Rendering.Scene)} pixels per module");
        Assert.Equal(Encoding.ASCII.GetString(OrderCode), Decode(rig.Panel.Picture(), width, height));
    }

    [Fact]
    public void The_decoder_finds_nothing_on_the_same_screen_without_the_code()
    {
        // Negative control: the decode above reads the panel's RAM, not something the test drew itself.
        var rig = new Rig("st7789", 240, 320);
        rig.Screens.OnShowQr(null!, "ref", OrderCode, 0, OrderCode.Length, 1250, "EUR", 300_000);
        rig.Screens.Push();
        rig.Panel.Driver.SetPower(false);

        Assert.Null(Decode(rig.Panel.Picture(), 240, 320));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public void A_countdown_tick_sends_only_the_digits_that_changed(string controller, int width, int height)
    {
        var rig = new Rig(controller, width, height);
        rig.Screens.OnShowQr(null!, "ref", OrderCode, 0, OrderCode.Length, 1250, "EUR", 300_500); // 5:00
        rig.Screens.Push();

        long sent = rig.PixelsFor(() => rig.Clock.Advance(1000)); // 4:59: three of the four characters change

        Assert.Equal(rig.ChangedElementArea, sent);
        Assert.True(sent > 0 && sent < width * height / 50, $"{sent} pixels");
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public void A_spinner_step_sends_only_the_dots_that_change_colour(string controller, int width, int height)
    {
        var rig = new Rig(controller, width, height);
        rig.Screens.ShowProcessing("Waiting for the customer");
        rig.Screens.Push();

        long sent = rig.PixelsFor(() => rig.Clock.Advance(1000));

        Assert.Equal(rig.ChangedElementArea, sent);
        Assert.True(sent > 0 && sent <= 3 * 16 * 16 * 4, $"{sent} pixels"); // three dots of 16x16 at most doubled
    }

    [Fact]
    public void Drawing_the_same_screen_again_sends_nothing()
    {
        var rig = new Rig("ili9341", 320, 240);
        rig.Screens.ShowProcessing("Waiting for the customer");
        rig.Screens.Push();

        Assert.Equal(0, rig.PixelsFor(() => rig.Screens.ShowProcessing("Waiting for the customer")));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public void Countdown_ticks_and_spinner_steps_allocate_nothing(string controller, int width, int height)
    {
        var rig = new Rig(controller, width, height);
        rig.Screens.OnShowQr(null!, "ref", OrderCode, 0, OrderCode.Length, 1250, "EUR", 600_000);
        rig.Steps(3); // warm up every path once
        long pixels = rig.Panel.Model.PixelsWritten;
        long countdown = QuietestWindow(() => rig.Steps(150));
        Assert.True(rig.Panel.Model.PixelsWritten > pixels, "the ticks sent nothing: the check would be vacuous");

        rig.Screens.ShowProcessing("Waiting for the customer");
        rig.Steps(3);
        long spinner = QuietestWindow(() => rig.Steps(16));

        Assert.Equal((0L, 0L), (countdown, spinner));
    }

    /// <summary>
    /// The least any of three runs of <paramref name="steps"/> allocated on this thread: one run may pay for the
    /// runtime's own one-off work (JIT tiering); anything the steps allocate, even once a minute, shows in all three.
    /// </summary>
    private static long QuietestWindow(Action steps)
    {
        long least = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            steps();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public void The_four_results_differ_in_grey_too(string controller, int width, int height)
    {
        // Colour is never the only signal: the results' icons and words differ, so their pictures differ in luminance.
        var greys = new List<int[]>();
        foreach (ResultKind kind in Enum.GetValues<ResultKind>())
        {
            var rig = new Rig(controller, width, height);
            var model = new ScreenModel();
            model.ShowResult(kind, "12.50 EUR", "reason");
            rig.Rendering.Render(model);
            Assert.True(rig.Rendering.Push());
            greys.Add(rig.Panel.Picture().Select(Luminance).Select(l => l < 128 ? 0 : 1).ToArray());
        }

        for (int a = 0; a < greys.Count; a++)
        {
            for (int b = a + 1; b < greys.Count; b++)
            {
                int differing = greys[a].Zip(greys[b]).Count(p => p.First != p.Second);
                Assert.True(differing > 200, $"results {a} and {b} differ in {differing} black-and-white pixels only");
            }
        }
    }

    private static int ModuleScale(TftScene scene)
    {
        for (int e = 0; e < scene.Count; e++)
        {
            if (scene.KindOf(e) == SceneElementKind.Modules)
            {
                return scene.ScaleOf(e);
            }
        }

        return 0;
    }

    private static int Luminance(int rgb565) =>
        (299 * Rgb565.Red(rgb565) + 587 * Rgb565.Green(rgb565) + 114 * Rgb565.Blue(rgb565)) / 1000;

    private static string? Decode(int[] picture, int width, int height)
    {
        byte[] grey = picture.Select(p => (byte)Luminance(p)).ToArray();
        var source = new RGBLuminanceSource(grey, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.CHARACTER_SET] = "ISO-8859-1" };
        try
        {
            return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints)?.Text;
        }
        catch (ReaderException)
        {
            return null;
        }
    }

    /// <summary>A panel on its controller model behind the terminal's screen layer, on a fake clock.</summary>
    private sealed class Rig
    {
        private int[] _before = [];

        public Rig(string controller, int width, int height)
        {
            Panel = new TftPanel(controller, width, height);
            Rendering = new TftRendering(Panel.Driver);
            Screens = new TerminalScreens(Rendering, Clock, new ListLog(), "Cafe", 125);
        }

        public TftPanel Panel { get; }

        public TftRendering Rendering { get; }

        public TerminalScreens Screens { get; }

        public FakeClock Clock { get; } = new();

        /// <summary>Area of the elements holding a pixel that the last <see cref="PixelsFor"/> changed.</summary>
        public long ChangedElementArea { get; private set; }

        /// <summary>Pixels sent to the panel for what <paramref name="change"/> does followed by a refresh and a push.</summary>
        public long PixelsFor(Action change)
        {
            _before = ScenePicture.Render(Rendering.Scene);
            Panel.Model.ResetCounters();
            change();
            Screens.Refresh(false, true);
            Screens.Push();
            int[] after = ScenePicture.Render(Rendering.Scene);
            TftScene scene = Rendering.Scene;
            ChangedElementArea = 0;
            for (int e = 0; e < scene.Count; e++)
            {
                bool changed = false;
                for (int y = scene.Y(e); y < scene.Y(e) + scene.HeightOf(e) && !changed; y++)
                {
                    for (int x = scene.X(e); x < scene.X(e) + scene.WidthOf(e) && !changed; x++)
                    {
                        changed = _before[y * scene.Width + x] != after[y * scene.Width + x];
                    }
                }

                ChangedElementArea += changed ? scene.WidthOf(e) * scene.HeightOf(e) : 0;
            }

            return Panel.Model.PixelsWritten;
        }

        /// <summary>Seconds of the main loop: the clock moves, the screen layer refreshes, the changes go out.</summary>
        public void Steps(int seconds)
        {
            for (int i = 0; i < seconds; i++)
            {
                Clock.Advance(1000);
                Screens.Refresh(false, true);
                Screens.Push();
            }
        }
    }
}
