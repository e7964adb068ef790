using Terminal.Drivers.Display.Ili9341;
using Terminal.Drivers.Display.St7789;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Ports;
using Terminal.SimulatedDevices.Display;

namespace Terminal.Tests.Display.Tft;

/// <summary>The panels the terminal supports, each a driver on its controller model with a virtual clock the pauses advance.</summary>
internal sealed class TftPanel
{
    public static readonly (string Controller, int Width, int Height)[] All =
    [
        ("st7789", 240, 240),
        ("st7789", 240, 320),
        ("st7789", 320, 240),
        ("ili9341", 320, 240),
        ("ili9341", 240, 320),
    ];

    public static IEnumerable<object[]> Cases() => All.Select(p => new object[] { p.Controller, p.Width, p.Height });

    public TftPanel(string controller, int width, int height, int attempts = 3)
    {
        Width = width;
        Height = height;
        Model = controller == "ili9341" ? new Ili9341Model() : new St7789Model(Math.Max(width, height));
        Model.Clock = () => Now;
        Bus = new ModelSpiBus(Model);
        TftPause pause = ms => Now += ms;
        Driver = controller == "ili9341"
            ? new Ili9341Driver(Bus, Backlight, pause, width, height, attempts)
            : new St7789Driver(Bus, Backlight, pause, width, height, attempts);
    }

    public int Width { get; }

    public int Height { get; }

    public long Now { get; set; }

    public TftModel Model { get; }

    public ModelSpiBus Bus { get; }

    public RecordingBacklight Backlight { get; } = new();

    public TftDriver Driver { get; }

    /// <summary>What a viewer of the mounted panel sees.</summary>
    public int[] Picture() => Model.Picture(Width, Height);
}

/// <summary>The SPI port of a TFT driver under test, wired to a controller model.</summary>
internal sealed class ModelSpiBus(TftModel model) : ISpiDisplayBus
{
    /// <summary>Bytes of the longest single transfer the driver asked for.</summary>
    public int LargestWrite { get; private set; }

    public bool Write(byte[] buffer, int offset, int count, bool data)
    {
        LargestWrite = Math.Max(LargestWrite, count);
        return model.Write(buffer, offset, count, data);
    }
}

internal sealed class RecordingBacklight : IBacklight
{
    public int Level { get; private set; } = -1;

    public bool SetLevel(int level)
    {
        Level = level;
        return true;
    }
}
