using Terminal.Drivers.Display.Ili9341;
using Terminal.Drivers.Display.St7789;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Qr;
using Terminal.Firmware.Diagnostics;
using Terminal.Firmware.Screens;
using Terminal.NanoRunner.Ports;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The colour TFT path on this runtime: the gateway's order code fitted to the panel and shown, a countdown tick,
    /// a spinner step and a result, through the real screen model, painter, scene, renderer and driver, on a port that
    /// checksums every byte. The .NET tests prove those bytes right against the controller models; the same CRC on
    /// nanoCLR proves the interpreter sends the same ones.
    /// </summary>
    public static class TftScreens
    {
        public static void Run(ScenarioRig rig, SelfTestReport report)
        {
            byte[] codeValue = Ascii(rig.Gateway.CodeValue);
            Panel(report, "st7789", 240, 320, codeValue);
            Panel(report, "ili9341", 320, 240, codeValue);
        }

        /// <summary>A rendering of <paramref name="controller"/> on <paramref name="bus"/>, settling waits skipped.</summary>
        public static TftRendering Rendering(string controller, int width, int height, CrcSpiBus bus)
        {
            TftPause noWait = delegate(int milliseconds) { };
            TftDriver driver = controller == "ili9341"
                ? (TftDriver)new Ili9341Driver(bus, null, noWait, width, height)
                : new St7789Driver(bus, null, noWait, width, height);
            return new TftRendering(driver);
        }

        /// <summary>The order code at the panel's scale, or null when it does not fit.</summary>
        public static QrCode Fit(TftRendering rendering, byte[] codeValue)
        {
            QrEncoder encoder = new QrEncoder(10);
            QrFit fit = new QrFit(encoder);
            QrCode code = null;
            if (fit.TryFit(codeValue, 0, codeValue.Length, rendering.QrAreaSize, rendering.QrAreaSize, rendering.QrQuietModules))
            {
                encoder.TryEncode(codeValue, 0, codeValue.Length, fit.ErrorCorrection, fit.Version, fit.Version, -1, false, out code);
            }

            return code;
        }

        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        private static void Panel(SelfTestReport report, string controller, int width, int height, byte[] codeValue)
        {
            string name = "tft " + controller + " " + width + "x" + height;
            CrcSpiBus bus = new CrcSpiBus();
            bus.Checksum = true;
            TftRendering rendering = Rendering(controller, width, height, bus);
            ScreenModel model = new ScreenModel();
            QrCode code = Fit(rendering, codeValue);
            if (code == null)
            {
                report.Check(name + ": order code fits", false, "the " + codeValue.Length + "-byte code does not fit " + rendering.QrAreaSize + " px");
                return;
            }

            int scale = rendering.QrAreaSize / (code.Size + 2 * rendering.QrQuietModules);
            bool pushed = model.ShowQr(code, "9.90 EUR", 120) && Render(rendering, model);
            long qr = bus.Bytes;
            pushed = pushed && model.UpdateCountdown(119) && Countdown(rendering, model);
            long tick = bus.Bytes - qr;
            pushed = pushed && model.ShowProcessing("Waiting for the customer") && Render(rendering, model);
            long processing = bus.Bytes;
            pushed = pushed && model.Tick() && Spinner(rendering, model);
            long spinner = bus.Bytes - processing;
            long beforeResult = bus.Bytes;
            pushed = pushed && model.ShowResult(ResultKind.Success, "9.90 EUR", null) && Render(rendering, model);
            long result = bus.Bytes - beforeResult;

            bool ok = pushed && scale >= 4 && qr > 2L * width * height && tick > 0 && tick < 2000 && spinner > 0 && spinner < 4000 && result > 0;
            report.Check(name + ": QR version " + code.Version + " at " + scale + " px/module; bytes sent: QR screen " + qr + ", countdown tick " + tick
                + ", spinner step " + spinner + ", result " + result + "; CRC-32 " + StepText.Hex(bus.Crc), ok,
                "expected every push to succeed, 4 px/module or more, a full first frame and small ticks");
        }

        private static bool Render(TftRendering rendering, ScreenModel model)
        {
            rendering.Render(model);
            return rendering.Push();
        }

        private static bool Countdown(TftRendering rendering, ScreenModel model)
        {
            rendering.RenderCountdown(model);
            return rendering.Push();
        }

        private static bool Spinner(TftRendering rendering, ScreenModel model)
        {
            rendering.RenderSpinner(model);
            return rendering.Push();
        }
    }
}
