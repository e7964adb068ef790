using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Xunit;
using Terminal.SimulatedDevices.Display;

namespace Terminal.Tests.Display;

public class Ssd1306DriverTests
{
    private static (Ssd1306Model model, Ssd1306Driver driver, Framebuffer fb) Setup(int chunk = 128)
    {
        var model = new Ssd1306Model { KeepLog = true };
        return (model, new Ssd1306Driver(new ModelBus(model), chunk, 3), new Framebuffer());
    }

    private static void Clean(Framebuffer fb)
    {
        for (int p = 0; p < Framebuffer.Pages; p++)
        {
            fb.MarkPageClean(p);
        }
    }

    private static byte[] Image(Framebuffer fb)
    {
        var image = new byte[1024];
        fb.CopyTo(image, 0);
        return image;
    }

    [Fact]
    public void Initialize_sends_the_init_sequence_as_one_command_write()
    {
        var (model, driver, _) = Setup();
        Assert.Equal(DisplayStatus.NotInitialized, driver.Status);
        Assert.True(driver.Initialize());
        Assert.Single(model.Log);
        Assert.Equal(0x00, model.Log[0][0]);
        Assert.Equal(1 + Ssd1306InitSequence.Length, model.Log[0].Length);
        Assert.True(model.DisplayOn);
        Assert.True(model.ChargePump);
        Assert.Equal(0, model.Mode);
        Assert.Equal(0xCF, model.Contrast);
        Assert.Equal(DisplayStatus.Ok, driver.Status);
    }

    [Fact]
    public void First_update_sends_the_whole_frame_then_only_changes()
    {
        var (model, driver, fb) = Setup();
        fb.FillRect(10, 10, 30, 30, true);
        Assert.True(driver.Update(fb)); // initialises, then the full frame: RAM content was unknown
        Assert.Equal(Image(fb), model.VisibleRam());
        Assert.False(fb.IsDirty);

        model.ResetCounters();
        Assert.True(driver.Update(fb));
        Assert.Equal(0, model.Attempts); // nothing changed, nothing sent

        fb.SetPixel(100, 50, true);
        Assert.True(driver.Update(fb));
        Assert.Equal(new byte[] { 0x00, 0x21, 100, 100, 0x22, 6, 6 }, model.Log[0]);
        Assert.Equal(new byte[] { 0x40, 0x04 }, model.Log[1]);
        Assert.Equal(2, model.Attempts);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Full_frame_is_one_window_in_chunks()
    {
        var (model, driver, fb) = Setup();
        driver.Initialize();
        model.ResetCounters();
        fb.Clear(true);
        Assert.True(driver.Update(fb));
        Assert.Equal(new byte[] { 0x00, 0x21, 0, 127, 0x22, 0, 7 }, model.Log[0]);
        Assert.Equal(9, model.Attempts); // window + 8 x 128 data bytes
        Assert.All(model.Log.Skip(1), w => Assert.Equal(129, w.Length));
        Assert.Equal(7 + 8 * 129, model.PayloadBytes);
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(100, 11)]
    [InlineData(1024, 1)]
    public void Data_writes_respect_the_configured_chunk_size(int chunk, int dataWrites)
    {
        var (model, driver, fb) = Setup(chunk);
        driver.Initialize();
        model.ResetCounters();
        fb.Clear(true);
        Assert.True(driver.Update(fb));
        Assert.Equal(1 + dataWrites, model.Attempts);
        Assert.All(model.Log.Skip(1), w => Assert.True(w.Length <= chunk + 1));
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Neighbouring_dirty_pages_share_a_window_distant_ones_do_not()
    {
        var (model, driver, fb) = Setup();
        driver.Update(fb);
        model.ResetCounters();

        fb.FillRect(20, 8, 10, 16, true); // pages 1-2, columns 20-29
        fb.SetPixel(120, 63, true);       // page 7, column 120
        Assert.True(driver.Update(fb));
        var windows = model.Log.Where(w => w[0] == 0x00).ToList();
        Assert.Equal(2, windows.Count);
        Assert.Equal(new byte[] { 0x00, 0x21, 20, 29, 0x22, 1, 2 }, windows[0]);
        Assert.Equal(new byte[] { 0x00, 0x21, 120, 120, 0x22, 7, 7 }, windows[1]);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Pages_are_merged_only_when_that_sends_fewer_bytes()
    {
        var (model, driver, fb) = Setup();
        driver.Update(fb);

        // Opposite corners of two neighbouring pages: one window would resend 254 clean bytes.
        model.ResetCounters();
        fb.SetPixel(0, 0, true);
        fb.SetPixel(127, 8, true);
        driver.Update(fb);
        Assert.Equal(new byte[] { 0x00, 0x21, 0, 0, 0x22, 0, 0 }, model.Log[0]);
        Assert.Equal(new byte[] { 0x00, 0x21, 127, 127, 0x22, 1, 1 }, model.Log[2]);

        // The same columns on pages 3 and 5 with page 4 clean: one window through page 4 is cheaper
        // (3 x 4 data bytes + 8) than two windows (2 x (8 + 4 + 2)).
        model.ResetCounters();
        fb.FillRect(40, 24, 4, 1, true);
        fb.FillRect(40, 40, 4, 1, true);
        driver.Update(fb);
        Assert.Equal(new byte[] { 0x00, 0x21, 40, 43, 0x22, 3, 5 }, model.Log[0]);
        Assert.Equal(2, model.Attempts);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Partial_update_sends_far_fewer_bytes_than_a_full_frame()
    {
        var (model, driver, fb) = Setup();
        driver.Update(fb);
        model.ResetCounters();
        fb.MarkAllDirty();
        driver.Update(fb);
        long full = model.WireBytes;

        model.ResetCounters();
        fb.FillRect(60, 20, 6, 7, true);
        driver.Update(fb);
        Assert.True(model.WireBytes * 10 < full, $"partial {model.WireBytes} vs full {full}");
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Failing_bus_retries_then_reports_without_throwing()
    {
        var (model, driver, fb) = Setup();
        model.Faults = _ => WriteFault.Nack;
        fb.SetPixel(1, 1, true);
        Assert.False(driver.Update(fb));
        Assert.Equal(DisplayStatus.WriteFailed, driver.Status);
        Assert.Contains("I2C write failed 3 times", driver.LastError);
        Assert.Contains("init", driver.LastError);
        Assert.Equal(3, model.Attempts);
        Assert.Equal(2, driver.Retries);
        Assert.Equal(1, driver.Failures);
        Assert.True(fb.IsDirty);

        model.Faults = _ => WriteFault.None;
        Assert.True(driver.Update(fb));
        Assert.Equal(DisplayStatus.Ok, driver.Status);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void A_throwing_binding_is_treated_as_a_failed_write()
    {
        var (model, driver, fb) = Setup();
        driver.Update(fb);
        model.Faults = _ => WriteFault.Throw;
        fb.SetPixel(5, 5, true);
        Assert.False(driver.Update(fb));
        Assert.Equal(DisplayStatus.WriteFailed, driver.Status);
        Assert.Contains("window pages 0-0", driver.LastError);
        Assert.False(driver.SetContrast(10)); // each of these tries a re-initialisation
        Assert.False(driver.SetPower(false));
        Assert.False(driver.SetInverted(true));
        Assert.Equal(4, driver.Failures);
    }

    [Fact]
    public void After_a_failure_the_next_update_reinitialises_and_repaints_everything()
    {
        var (model, driver, fb) = Setup();
        fb.FillRect(0, 0, 64, 64, true);
        driver.Update(fb);
        model.Faults = n => n == 0 ? WriteFault.Nack : WriteFault.None;
        model.ResetCounters();
        Assert.True(driver.SetInverted(true)); // one failed attempt, then success on the retry
        Assert.Equal(1, driver.Retries);
        Assert.True(model.Inverted);

        // Now fail a whole operation: the driver cannot know whether the module lost power.
        model.Faults = _ => WriteFault.Nack;
        Assert.False(driver.SetContrast(0x10));
        model.Faults = _ => WriteFault.None;
        model.Ram.AsSpan().Fill(0x55); // as after a power cycle
        model.Commands.Clear();
        model.ResetCounters();
        Assert.True(driver.Update(fb));
        Assert.Contains(model.Commands, c => c[0] == 0x8D); // init sequence again
        Assert.Equal(0x10, model.Contrast);
        Assert.True(model.Inverted);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void A_write_that_breaks_off_midway_is_retried_from_its_window()
    {
        var (model, driver, fb) = Setup(chunk: 16);
        driver.Update(fb);
        fb.FillRect(0, 0, 128, 64, true);
        fb.FillRect(30, 30, 20, 20, false);
        // The fourth write of the update (a data chunk) arrives half, then the window is re-sent.
        model.ResetCounters();
        model.Faults = n => n == 3 ? WriteFault.Partial : WriteFault.None;
        Assert.True(driver.Update(fb));
        Assert.Equal(1, driver.Retries);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Contrast_power_and_inversion_commands()
    {
        var (model, driver, fb) = Setup();
        Assert.True(driver.SetContrast(0x42)); // not initialised: initialises with it
        Assert.Single(model.Log);
        Assert.Equal(1 + Ssd1306InitSequence.Length, model.Log[0].Length);
        Assert.Equal(0x42, model.Contrast);
        driver.Update(fb);

        model.ResetCounters();
        Assert.True(driver.SetContrast(0x80));
        Assert.True(driver.SetPower(false));
        Assert.True(driver.SetInverted(true));
        Assert.Equal(new byte[] { 0x00, 0x81, 0x80 }, model.Log[0]);
        Assert.Equal(new byte[] { 0x00, 0xAE }, model.Log[1]);
        Assert.Equal(new byte[] { 0x00, 0xA7 }, model.Log[2]);
        Assert.False(model.DisplayOn);
        Assert.True(model.Inverted);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.SetContrast(256));
    }

    [Fact]
    public void Constructor_checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new Ssd1306Driver(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ssd1306Driver(new ModelBus(new Ssd1306Model()), 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ssd1306Driver(new ModelBus(new Ssd1306Model()), 128, 0));
        Assert.Throws<ArgumentNullException>(() => new Ssd1306Driver(new ModelBus(new Ssd1306Model())).Update(null!));
    }

    [Fact]
    public void The_model_rejects_what_a_real_controller_would_not_take()
    {
        var model = new Ssd1306Model();
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0x21, 0x00 }, 0, 3)); // cut-off command
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0xFF }, 0, 2));       // unknown
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x01, 0xAF }, 0, 2));       // reserved bits
        model.Write(new byte[] { 0x00, 0x20, 0x00 }, 0, 3);
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0xB3 }, 0, 2));       // page mode only
    }

    [Fact]
    public void The_model_wraps_windows_like_the_datasheet()
    {
        var model = new Ssd1306Model();
        // Horizontal mode, window columns 126-127 x pages 6-7: five bytes wrap back to the window start.
        model.Write(new byte[] { 0x00, 0x20, 0x00, 0x21, 126, 127, 0x22, 6, 7 }, 0, 9);
        model.Write(new byte[] { 0x40, 1, 2, 3, 4, 5 }, 0, 6);
        Assert.Equal(5, model.Ram[6 * 128 + 126]);
        Assert.Equal(2, model.Ram[6 * 128 + 127]);
        Assert.Equal(3, model.Ram[7 * 128 + 126]);
        Assert.Equal(4, model.Ram[7 * 128 + 127]);
        // Vertical mode runs down the pages first.
        model.Write(new byte[] { 0x00, 0x20, 0x01, 0x21, 0, 1, 0x22, 0, 1 }, 0, 9);
        model.Write(new byte[] { 0x40, 9, 8, 7 }, 0, 4);
        Assert.Equal(9, model.Ram[0]);
        Assert.Equal(8, model.Ram[128]);
        Assert.Equal(7, model.Ram[1]);
        // Page mode with Co = 1 single-byte control bytes.
        model.Write(new byte[] { 0x00, 0x20, 0x02 }, 0, 3);
        model.Write(new byte[] { 0x80, 0xB2, 0x80, 0x05, 0x80, 0x10, 0xC0, 0xAB, 0x40, 0xCD }, 0, 10);
        Assert.Equal(0xAB, model.Ram[2 * 128 + 5]);
        Assert.Equal(0xCD, model.Ram[2 * 128 + 6]);
    }
}

public class Sh1106DriverTests
{
    private static byte[] Image(Framebuffer fb)
    {
        var image = new byte[1024];
        fb.CopyTo(image, 0);
        return image;
    }

    [Fact]
    public void Init_and_full_frame_use_page_addressing_with_column_offset_2()
    {
        var model = new Sh1106Model { KeepLog = true };
        var driver = new Sh1106Driver(new ModelBus(model));
        var fb = new Framebuffer();
        fb.FillRect(0, 0, 128, 64, true);
        Assert.True(driver.Update(fb));
        Assert.Equal(1 + Sh1106InitSequence.Length, model.Log[0].Length);
        Assert.True(model.DisplayOn);
        for (int page = 0; page < 8; page++)
        {
            Assert.Equal(new byte[] { 0x00, (byte)(0xB0 + page), 0x02, 0x10 }, model.Log[1 + 2 * page]);
            Assert.Equal(129, model.Log[2 + 2 * page].Length);
        }

        Assert.Equal(Image(fb), model.VisibleRam());
        Assert.All(Enumerable.Range(0, 8), p => Assert.NotEqual(0xFF, model.Ram[p * 132] & model.Ram[p * 132 + 1] & model.Ram[p * 132 + 130]));
    }

    [Fact]
    public void Partial_update_addresses_the_shifted_column()
    {
        var model = new Sh1106Model { KeepLog = true };
        var driver = new Sh1106Driver(new ModelBus(model));
        var fb = new Framebuffer();
        driver.Update(fb);
        model.ResetCounters();
        fb.SetPixel(127, 9, true);
        Assert.True(driver.Update(fb));
        Assert.Equal(new byte[] { 0x00, 0xB1, 0x01, 0x18 }, model.Log[0]); // RAM column 129 = 0x81
        Assert.Equal(new byte[] { 0x40, 0x02 }, model.Log[1]);
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void Failures_are_reported_and_recovered_like_the_ssd1306()
    {
        var model = new Sh1106Model();
        var driver = new Sh1106Driver(new ModelBus(model), 32, 2);
        var fb = new Framebuffer();
        driver.Update(fb);
        model.Faults = _ => WriteFault.Throw;
        fb.FillRect(3, 3, 50, 40, true);
        Assert.False(driver.Update(fb));
        Assert.Equal(DisplayStatus.WriteFailed, driver.Status);
        Assert.Contains("page 0", driver.LastError);
        Assert.Equal(1, driver.Retries);
        model.Faults = _ => WriteFault.None;
        Assert.True(driver.Update(fb));
        Assert.Equal(Image(fb), model.VisibleRam());
    }

    [Fact]
    public void The_model_rejects_ssd1306_only_commands()
    {
        var model = new Sh1106Model();
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0x21, 0, 127 }, 0, 4));
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0x8D, 0x14 }, 0, 3));
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x00, 0x2E }, 0, 2));
        model.Write(new byte[] { 0x00, 0xB0, 0x03, 0x18 }, 0, 4); // column 131
        model.Write(new byte[] { 0x40, 0x01 }, 0, 2);
        Assert.Throws<InvalidDataException>(() => model.Write(new byte[] { 0x40, 0x01 }, 0, 2)); // past the RAM
    }
}
