using Terminal.Drivers.Display;
using Terminal.Drivers.Display.St7789;
using Terminal.Drivers.Display.Tft;
using Terminal.SimulatedDevices.Display;
using Xunit;

namespace Terminal.Tests.Display.Tft;

/// <summary>
/// The bytes the drivers send, as the controller model logs them: the init sequences of the datasheets with their
/// settling times, MADCTL for each way a panel is mounted, and one CASET/RASET/RAMWR window per band of a change.
/// </summary>
public sealed class TftCommandTests
{
    [Fact]
    public void St7789_init_resets_wakes_sets_16_bit_pixels_and_inverts_for_its_ips_glass()
    {
        var panel = new TftPanel("st7789", 240, 240);
        panel.Model.KeepLog = true;

        Assert.True(panel.Driver.Initialize());

        Assert.Equal(
            ["01", "11", "3A 55", "36 00", "21", "13", "29"],
            Log(panel.Model));
        Assert.False(panel.Model.Sleeping);
        Assert.True(panel.Model.DisplayOn);
        Assert.Equal(255, panel.Backlight.Level);
    }

    [Fact]
    public void Ili9341_init_sets_power_vcom_format_frame_rate_and_320_lines_then_wakes_with_bgr_order()
    {
        var panel = new TftPanel("ili9341", 320, 240);
        panel.Model.KeepLog = true;

        Assert.True(panel.Driver.Initialize());

        Assert.Equal(
            ["01", "C0 23", "C1 10", "C5 3E 28", "C7 86", "3A 55", "B1 00 18", "B6 08 82 27", "26 01", "11", "36 28", "20", "13", "29"],
            Log(panel.Model));
    }

    [Theory]
    [InlineData("st7789", 240, 240, 0x00)]
    [InlineData("st7789", 240, 320, 0x00)]
    [InlineData("st7789", 320, 240, 0x60)] // MV | MX: a quarter turn
    [InlineData("ili9341", 240, 320, 0x48)] // MX | BGR: these modules' columns run right to left
    [InlineData("ili9341", 320, 240, 0x28)] // MV | BGR
    public void Madctl_maps_the_screen_onto_the_mounted_glass(string controller, int width, int height, int madctl)
    {
        var panel = new TftPanel(controller, width, height);
        var scene = new TftScene(width, height);
        scene.Begin(Rgb565.White);
        scene.Fill(0, 0, 1, 1, 0xF800); // red at the top-left corner...
        scene.Fill(width - 2, height - 1, 2, 1, 0x001F); // ...blue along the bottom-right one
        scene.End();

        Assert.True(panel.Driver.Update(scene));

        Assert.Equal(madctl, panel.Model.MemoryAccess);
        int[] picture = panel.Picture();
        Assert.Equal(0xF800, picture[0]);
        Assert.Equal(0x001F, picture[(height - 1) * width + width - 1]);
        Assert.Equal(0x001F, picture[(height - 1) * width + width - 2]);
        Assert.Equal(Rgb565.White, picture[width - 1]);
        Assert.Equal(Rgb565.White, picture[(height - 1) * width]);
    }

    [Fact]
    public void Landscape_st7789_writes_the_top_left_pixel_into_the_last_ram_column_of_the_first_row()
    {
        var panel = new TftPanel("st7789", 320, 240);
        var scene = new TftScene(320, 240);
        scene.Begin(Rgb565.White);
        scene.Fill(0, 0, 1, 1, 0xF800);
        scene.End();

        Assert.True(panel.Driver.Update(scene));

        // MV exchanges the counters (screen x counts RAM rows), MX mirrors the RAM column (ST7789V 8.12).
        Assert.Equal(0xF800, panel.Model.Ram[0 * TftModel.RamColumns + 239]);
        Assert.Equal(Rgb565.White, panel.Model.Ram[0]);
    }

    [Fact]
    public void Init_waits_the_settling_times_the_datasheet_requires()
    {
        var pauses = new List<int>();
        var panel = new TftPanel("st7789", 240, 320);
        var driver = new St7789Driver(panel.Bus, panel.Backlight, ms => { pauses.Add(ms); panel.Now += ms; }, 240, 320);

        Assert.True(driver.Initialize());

        Assert.Equal([120, 120], pauses); // after SWRESET (before SLPOUT), after SLPOUT (before SLPIN)
        Assert.Equal(0, panel.Model.ProtocolErrors);
    }

    [Fact]
    public void A_driver_that_does_not_wait_after_reset_is_refused_by_the_model()
    {
        // Negative control for the timing checks above: the model's clock enforces the 120 ms before SLPOUT.
        var panel = new TftPanel("st7789", 240, 320, attempts: 1);
        var hasty = new St7789Driver(panel.Bus, panel.Backlight, _ => { }, 240, 320, 1);

        Assert.False(hasty.Initialize());

        Assert.Equal(DisplayStatus.WriteFailed, hasty.Status);
        Assert.Contains("too early", panel.Model.LastProtocolError);
    }

    [Fact]
    public void A_change_is_sent_in_its_own_window_and_nothing_else()
    {
        var panel = new TftPanel("ili9341", 320, 240);
        var scene = new TftScene(320, 240);
        scene.Begin(Rgb565.White);
        scene.Fill(0, 0, 320, 10, 0x1234);
        int changing = scene.Fill(10, 20, 30, 5, Rgb565.Black);
        scene.End();
        Assert.True(panel.Driver.Update(scene));
        panel.Model.ResetCounters();
        panel.Model.KeepLog = true;

        scene.SetForeground(changing, 0xF800);
        Assert.True(panel.Driver.Update(scene));

        // CASET 10..39, RASET 20..24 (high byte first), RAMWR, then 30 x 5 pixels of 2 bytes.
        Assert.Equal(["2A 00 0A 00 27", "2B 00 14 00 18", "2C"], Log(panel.Model));
        Assert.Equal(150, panel.Model.PixelsWritten);
        Assert.Equal(1 + 4 + 1 + 4 + 1 + 300, panel.Model.WireBytes);
        Assert.Equal(0xF800, panel.Picture()[22 * 320 + 25]);
    }

    [Theory]
    [MemberData(nameof(TftModelEquivalenceTests.Panels), MemberType = typeof(TftModelEquivalenceTests))]
    public void A_full_repaint_writes_every_pixel_once_in_bands_no_larger_than_the_band_buffer(string controller, int width, int height)
    {
        var panel = new TftPanel(controller, width, height);
        var scene = new TftScene(width, height);
        Assert.True(panel.Driver.Update(scene)); // initialise
        panel.Model.ResetCounters();
        panel.Model.KeepLog = true;

        scene.MarkAllDirty();
        Assert.True(panel.Driver.Update(scene));

        int rowsPerBand = TftDriver.BandBytes / (2 * width);
        int bands = (height + rowsPerBand - 1) / rowsPerBand;
        Assert.Equal((long)width * height, panel.Model.PixelsWritten);
        Assert.Equal(bands, Log(panel.Model).Count(c => c == "2C"));
        Assert.True(panel.Bus.LargestWrite <= TftDriver.BandBytes, $"a {panel.Bus.LargestWrite}-byte transfer");
        Assert.Equal(TftDriver.BandBytes, panel.Bus.LargestWrite); // 240 and 320 both divide it: every full band fills it
    }

    private static List<string> Log(TftModel model) =>
        model.Commands.Select(c => string.Join(' ', c.Select(b => b.ToString("X2")))).ToList();
}
