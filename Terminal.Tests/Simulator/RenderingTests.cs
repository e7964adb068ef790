using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Firmware.Screens;
using Terminal.SimulatedDevices.Display;
using Terminal.Simulator.Rendering;
using Terminal.Tests.Display;
using Xunit;

namespace Terminal.Tests.Simulator;

public sealed class RenderingTests
{
    [Theory]
    [InlineData("ssd1306")]
    [InlineData("sh1106")]
    public void The_simulated_oled_shows_what_the_real_driver_sent(string controller)
    {
        OledModel oled = controller == "sh1106" ? new Sh1106Model() : new Ssd1306Model();
        IDisplayDriver driver = controller == "sh1106" ? new Sh1106Driver(new ModelBus(oled)) : new Ssd1306Driver(new ModelBus(oled));
        var fb = new Framebuffer();
        var painter = new ScreenPainter(fb);

        painter.ShowIdle("Counter 1", true, true);
        Assert.True(driver.Update(fb));
        AssertSame(fb, oled);

        // A partial update (the countdown box) lands in the right place too.
        painter.ShowProcessing("Please wait");
        driver.Update(fb);
        painter.Tick();
        driver.Update(fb);
        AssertSame(fb, oled);
    }

    [Fact]
    public void The_simulated_oled_is_dark_until_the_display_is_switched_on()
    {
        var oled = new Ssd1306Model();

        oled.Write([0x40, 0xFF, 0xFF], 0, 3);

        Assert.False(oled.IsLit(0, 0));
    }

    [Fact]
    public void Png_round_trips_through_an_independent_reader()
    {
        var random = new Random(5);
        bool[] pixels = Enumerable.Range(0, 128 * 64).Select(_ => random.Next(3) == 0).ToArray();

        byte[] png = PngWriter.Encode(pixels, 128, 64, scale: 3, border: 2);
        var (gray, width, height) = PngReader.Read(png);

        Assert.Equal((128 * 3 + 4, 64 * 3 + 4), (width, height));
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 128; x++)
            {
                Assert.Equal(pixels[y * 128 + x] ? 255 : 0, gray[(2 + y * 3 + 1) * width + 2 + x * 3 + 1]);
            }
        }

        Assert.Equal(0, gray[0]);
    }

    [Fact]
    public void Half_block_picture_has_a_cell_per_two_rows()
    {
        bool[] pixels = new bool[128 * 64];
        pixels[0] = true;                 // (0,0): upper half
        pixels[128 + 1] = true;           // (1,1): lower half
        pixels[2] = pixels[128 + 2] = true; // (2,0) and (2,1): full

        string[] lines = OledPicture.Render(pixels).Split('\n');

        Assert.Equal(34, lines.Length - 1);
        Assert.StartsWith("│▀▄█ ", lines[1], StringComparison.Ordinal);
        Assert.Equal(130, lines[1].Length);
        Assert.Equal(66, OledPicture.Render(pixels, PictureStyle.Compact).Split('\n')[1].Length);
    }

    private static void AssertSame(Framebuffer fb, OledModel oled)
    {
        for (int y = 0; y < Framebuffer.Height; y++)
        {
            for (int x = 0; x < Framebuffer.Width; x++)
            {
                Assert.True(fb.GetPixel(x, y) == oled.IsLit(x, y), $"pixel ({x},{y}) differs");
            }
        }
    }
}
