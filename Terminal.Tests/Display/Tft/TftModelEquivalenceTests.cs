using CsCheck;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;
using Terminal.Drivers.Display.Tft;
using Terminal.Firmware.Screens;
using Terminal.SimulatedDevices.Display;
using Xunit;

namespace Terminal.Tests.Display.Tft;

/// <summary>
/// After any sequence of screens, countdown ticks, spinner steps, acknowledgements, power and brightness changes and
/// SPI faults, the controller model's RAM, as the mounted panel shows it, equals the picture the scene describes as
/// soon as an update succeeds; no fault escapes as an exception. On every panel the terminal supports.
/// </summary>
public sealed class TftModelEquivalenceTests
{
    private static readonly string?[] Texts =
    {
        null, "", "Cafe Central", "12.50", "1,234,567.89", "Café ☕ 東京", new string('x', 200), "a\nb\nc", "Insufficient balance in the customer's wallet",
    };

    private static readonly int[] QrSizes = { 21, 25, 29, 33, 37, 41, 57 };

    public static IEnumerable<object[]> Panels() => TftPanel.Cases();

    [Theory]
    [MemberData(nameof(Panels))]
    public void Panel_ram_follows_the_screens(string controller, int width, int height) =>
        Gen.UInt.Array[1, 30].Sample(ops => Run(new TftPanel(controller, width, height), ops), iter: 40);

    [Theory]
    [MemberData(nameof(Panels))]
    public void Panel_ram_follows_random_scenes(string controller, int width, int height) =>
        Gen.UInt.Array[1, 12].Sample(ops => RunScenes(new TftPanel(controller, width, height), ops), iter: 40);

    private static void Run(TftPanel panel, uint[] ops)
    {
        var model = new ScreenModel();
        var rendering = new TftRendering(panel.Driver);
        int failUntil = 0;
        var fault = WriteFault.None;
        panel.Model.Faults = n => n < failUntil ? fault : WriteFault.None;
        foreach (uint op in ops)
        {
            uint arg = op / 32;
            string? text = Texts[arg % Texts.Length];
            bool redraw = (op % 32) switch
            {
                0 => model.ShowIdle(text, (arg & 1) != 0, (arg & 2) != 0),
                1 => model.ShowAmountEntry(text, "EUR"),
                2 => model.ShowAmountConfirm(text, null),
                3 => model.ShowQr(TestMatrix.QrLike(QrSizes[arg % QrSizes.Length], (int)(arg & 0xFF)), text, (int)(arg % 700)),
                4 => model.ShowQrUnavailable(text, Texts[(arg / 9) % Texts.Length]),
                5 => model.ShowScanCustomer(text),
                6 => model.ShowProcessing(text),
                7 => model.ShowResult((ResultKind)(arg % 4), text, Texts[(arg / 4) % Texts.Length]),
                8 => model.ShowRefundProgress(text),
                9 => model.ShowRefundResult((ResultKind)(arg % 4), text, null),
                10 => model.ShowError(text, Texts[(arg / 9) % Texts.Length]),
                11 => model.ShowDiagnostics("Self-test", Texts.Select(t => t ?? "").Concat(Enumerable.Repeat("PASS a check", (int)(arg % 30))).ToArray()),
                12 => model.ShowDiagnosticsPage((int)(arg % 7) - 3),
                13 => model.ShowBlank(),
                14 or 15 => Acknowledged(model),
                _ => false,
            };
            if (redraw)
            {
                rendering.Render(model);
            }

            switch (op % 32)
            {
                case >= 16 and <= 20:
                    if (model.UpdateCountdown((int)(arg % 700)))
                    {
                        rendering.RenderCountdown(model);
                    }

                    break;
                case >= 21 and <= 24:
                    if (model.Tick())
                    {
                        rendering.RenderSpinner(model);
                    }

                    break;
                case 25 or 26:
                    failUntil = panel.Model.Writes + 1 + (int)(arg % 9);
                    fault = (WriteFault)(1 + arg % 3);
                    break;
                case 27:
                    panel.Driver.SetPower((arg & 1) != 0);
                    break;
                case 28:
                    panel.Driver.SetBrightness((int)(arg % 256));
                    break;
                case 29:
                    rendering.Scene.MarkAllDirty();
                    break;
            }

            bool faultsPending = panel.Model.Writes < failUntil;
            if (rendering.Push())
            {
                Assert.False(rendering.IsDirty);
                AssertShows(panel, rendering.Scene);
            }
            else
            {
                Assert.True(faultsPending, "an update failed on a healthy bus");
                Assert.Equal(DisplayStatus.WriteFailed, panel.Driver.Status);
                Assert.NotNull(panel.Driver.LastError);
            }
        }

        failUntil = 0;
        panel.Driver.SetPower(true);
        Assert.True(rendering.Push());
        Assert.Equal(DisplayStatus.Ok, panel.Driver.Status);
        AssertShows(panel, rendering.Scene);
        Assert.Equal(0, panel.Model.ProtocolErrors);
    }

    private static bool Acknowledged(ScreenModel model)
    {
        model.Acknowledge();
        return false;
    }

    private static void RunScenes(TftPanel panel, uint[] ops)
    {
        var scene = new TftScene(panel.Width, panel.Height);
        Font small = SmallFont.Create();
        Font amount = AmountFont.Create();
        var plane = new BitPlane(11, 7, Enumerable.Range(0, 14).Select(i => (byte)(i * 37 + 5)).ToArray());
        foreach (uint op in ops)
        {
            var random = new Random((int)op);
            scene.Begin(random.Next(4) == 0 ? random.Next(0x10000) : 0xFFFF);
            // A grid of cells, each holding at most one element somewhere inside it: elements never overlap.
            int cell = 40 + random.Next(3) * 20;
            for (int cy = 0; cy + cell <= panel.Height; cy += cell)
            {
                for (int cx = 0; cx + cell <= panel.Width && scene.Count < TftScene.MaxElements; cx += cell)
                {
                    int w = 1 + random.Next(cell);
                    int h = 1 + random.Next(cell);
                    int x = cx + random.Next(cell - w + 1);
                    int y = cy + random.Next(cell - h + 1);
                    int fg = random.Next(0x10000);
                    int bg = random.Next(0x10000);
                    switch (random.Next(5))
                    {
                        case 0:
                            scene.Fill(x, y, w, h, fg);
                            break;
                        case 1 when h >= 8:
                            scene.Text(x, y, w, h, small, 1 + random.Next(h / 8), (TextAlign)random.Next(3), "Ab9 ~é", random.Next(3), 3, fg, bg);
                            break;
                        case 2 when h >= 16:
                            // Its own buffer: a scene references the characters, and measured them when they were added.
                            var chars = new char[8];
                            int n = random.Next(chars.Length + 1);
                            for (int i = 0; i < n; i++)
                            {
                                chars[i] = "0123456789.,-: "[random.Next(15)];
                            }

                            scene.Text(x, y, w, h, amount, 1, (TextAlign)random.Next(3), chars, n, fg, bg);
                            break;
                        case 3:
                            int size = 5 + random.Next(4);
                            int scale = 1 + random.Next(3);
                            if ((size + 2) * scale <= cell)
                            {
                                scene.Modules(cx, cy, TestMatrix.QrLike(size < 7 ? 7 : size, random.Next()), scale, 1, fg, bg);
                            }

                            break;
                        default:
                            scene.Bitmap(x, y, w, h, plane, 1 + random.Next(3), fg, bg);
                            break;
                    }
                }
            }

            scene.End();
            if (scene.Count > 0 && random.Next(2) == 0)
            {
                scene.SetForeground(random.Next(scene.Count), random.Next(0x10000));
            }

            Assert.True(panel.Driver.Update(scene));
            AssertShows(panel, scene);
        }
    }

    private static string Describe(TftScene scene, int x, int y)
    {
        for (int e = 0; e < scene.Count; e++)
        {
            if (x >= scene.X(e) && x < scene.X(e) + scene.WidthOf(e) && y >= scene.Y(e) && y < scene.Y(e) + scene.HeightOf(e))
            {
                return $"element {e} {scene.KindOf(e)} at {scene.X(e)},{scene.Y(e)} {scene.WidthOf(e)}x{scene.HeightOf(e)} scale {scene.ScaleOf(e)}";
            }
        }

        return "background";
    }

    private static void AssertShows(TftPanel panel, TftScene scene)
    {
        int[] expected = panel.Driver.IsOn ? ScenePicture.Render(scene) : new int[scene.Width * scene.Height];
        int[] actual = panel.Picture();
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"pixel ({i % scene.Width},{i / scene.Width}) is {actual[i]:X4}, the scene says {expected[i]:X4} ({Describe(scene, i % scene.Width, i / scene.Width)})");
            }
        }
    }
}
