using CsCheck;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Firmware.Screens;
using Xunit;
using Terminal.SimulatedDevices.Display;

namespace Terminal.Tests.Display;

/// <summary>
/// After any sequence of screen changes, drawing and bus faults, the controller model's RAM equals the
/// framebuffer as soon as an update succeeds; and no fault ever escapes as an exception.
/// </summary>
public class ModelEquivalenceTests
{
    private static readonly string?[] Texts =
    {
        null, "", "Cafe Central", "12.50", "1,234,567.89", "Café ☕ 東京", new string('x', 120), "a\nb\nc", "Insufficient balance",
    };

    private static readonly int[] QrSizes = { 21, 25, 29, 33, 41, 57, 61 };

    private static readonly Gen<uint[]> Operations = Gen.UInt.Array[1, 40];

    private static byte[] Image(Framebuffer fb)
    {
        var image = new byte[1024];
        fb.CopyTo(image, 0);
        return image;
    }

    [Fact]
    public void Ssd1306_ram_follows_the_framebuffer() =>
        Operations.Select(Gen.Int[0, 3]).Sample((ops, chunk) =>
            Run(ops, new Ssd1306Model(), bus => new Ssd1306Driver(new ModelBus(bus), new[] { 16, 32, 128, 1024 }[chunk], 3)), iter: 300);

    [Fact]
    public void Sh1106_ram_follows_the_framebuffer() =>
        Operations.Select(Gen.Int[0, 3]).Sample((ops, chunk) =>
            Run(ops, new Sh1106Model(), bus => new Sh1106Driver(new ModelBus(bus), new[] { 16, 32, 128, 1024 }[chunk], 2)), iter: 300);

    private static void Run(uint[] ops, OledModel model, Func<OledModel, IDisplayDriver> create)
    {
        IDisplayDriver driver = create(model);
        var fb = new Framebuffer();
        var screens = new ScreenPainter(fb);
        int failUntil = 0;
        var fault = WriteFault.None;
        model.Faults = n => n < failUntil ? fault : WriteFault.None;

        foreach (uint op in ops)
        {
            uint arg = op / 32;
            string? text = Texts[arg % Texts.Length];
            switch (op % 32)
            {
                case 0: screens.ShowIdle(text, (arg & 1) != 0, (arg & 2) != 0); break;
                case 1: screens.ShowAmountEntry(text, "EUR"); break;
                case 2: screens.ShowAmountConfirm(text, null); break;
                case 3:
                    screens.ShowQr(TestMatrix.QrLike(QrSizes[arg % QrSizes.Length], (int)(arg & 0xFF)), text, (int)(arg % 700));
                    break;
                case 4: case 5: case 6: screens.UpdateCountdown((int)(arg % 700)); break;
                case 7: screens.ShowQrUnavailable(text, null); break;
                case 8: screens.ShowScanCustomer(text); break;
                case 9: screens.ShowProcessing(text); break;
                case 10: case 11: case 12: screens.Tick(); break;
                case 13: screens.ShowResult((ResultKind)(arg % 4), text, Texts[(arg / 4) % Texts.Length]); break;
                case 14: screens.ShowRefundProgress(text); break;
                case 15: screens.ShowRefundResult((ResultKind)(arg % 4), text, null); break;
                case 16: screens.ShowError(text, text); break;
                case 17: screens.ShowDiagnostics("Self-test", Texts.Select(t => t ?? "").ToArray()); break;
                case 18: screens.NextDiagnosticsPage(); break;
                case 19: case 20: screens.Acknowledge(); break;
                case 21: fb.SetPixel((int)(arg % 140) - 6, (int)(arg / 140 % 70) - 3, (arg & 1) != 0); break;
                case 22: fb.FillRect((int)(arg % 130) - 2, (int)(arg / 130 % 66) - 2, (int)(arg % 37), (int)(arg % 23), (arg & 1) != 0); break;
                case 23: fb.InvertRect((int)(arg % 128), (int)(arg / 128 % 64), (int)(arg % 50), (int)(arg % 19)); break;
                case 24:
                    fb.WriteColumn((int)(arg % 128), (int)(arg / 128 % 64) - 8, (int)(arg * 2654435761u), (int)(arg % 33));
                    break;
                case 25: case 26:
                    // The next few writes fail in one of the ways a bus can fail.
                    failUntil = model.Attempts + 1 + (int)(arg % 7);
                    fault = (WriteFault)(1 + arg % 3);
                    break;
                case 27: driver.SetInverted((arg & 1) != 0); break;
                case 28: driver.SetContrast((int)(arg % 256)); break;
                case 29: driver.SetPower((arg & 1) != 0); break;
                case 30: fb.MarkAllDirty(); break;
                default: fb.Clear((arg & 1) != 0); break;
            }

            bool faultsPending = model.Attempts < failUntil;
            bool ok = driver.Update(fb);
            if (ok)
            {
                // Success means every dirty byte reached the controller, faults or not.
                Assert.Equal(Image(fb), model.VisibleRam());
                Assert.False(fb.IsDirty);
            }
            else
            {
                Assert.True(faultsPending, "an update failed on a healthy bus");
                Assert.Equal(DisplayStatus.WriteFailed, driver.Status);
                Assert.NotNull(driver.LastError);
            }
        }

        failUntil = 0;
        Assert.True(driver.Update(fb));
        Assert.Equal(DisplayStatus.Ok, driver.Status);
        Assert.Equal(Image(fb), model.VisibleRam());
    }
}
