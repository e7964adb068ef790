using Terminal.Drivers.Qr;
using Terminal.Firmware.Screens;
using Terminal.NanoRunner.Ports;
using Terminal.NanoRunner.Scenario;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// The colour TFT's CPU work on a 240x320 ST7789 (the largest panel) with the order code shown: a full repaint
    /// of the QR screen (every pixel rendered into the band buffer and handed to the port) and one countdown tick
    /// (the changed digits painted, rendered and handed over). The port only counts, so the wire time is not in it.
    /// </summary>
    public sealed class TftWorkloads
    {
        private readonly CrcSpiBus _bus = new CrcSpiBus();
        private readonly TftRendering _rendering;
        private readonly ScreenModel _model = new ScreenModel();
        private int _seconds = 599;

        public TftWorkloads(string codeValue)
        {
            _rendering = TftScreens.Rendering("st7789", 240, 320, _bus);
            QrCode code = TftScreens.Fit(_rendering, TftScreens.Ascii(codeValue));
            if (code != null && _model.ShowQr(code, "9.90 EUR", _seconds))
            {
                _rendering.Render(_model);
                _rendering.Push();
            }
        }

        public IWorkload FullQrScreen()
        {
            return new FullRepaint(this);
        }

        public IWorkload CountdownTick()
        {
            return new Tick(this);
        }

        private sealed class FullRepaint : IWorkload
        {
            private readonly TftWorkloads _w;

            public FullRepaint(TftWorkloads w)
            {
                _w = w;
            }

            public bool RunOnce()
            {
                long before = _w._bus.Bytes;
                _w._rendering.Scene.MarkAllDirty();
                return _w._model.Kind == ScreenKind.Qr && _w._rendering.Push() && _w._bus.Bytes - before > 153600;
            }
        }

        private sealed class Tick : IWorkload
        {
            private readonly TftWorkloads _w;

            public Tick(TftWorkloads w)
            {
                _w = w;
            }

            public bool RunOnce()
            {
                // Cycling through 10 minutes, so every digit pattern occurs.
                _w._seconds = _w._seconds == 0 ? 599 : _w._seconds - 1;
                _w._model.UpdateCountdown(_w._seconds);
                _w._rendering.RenderCountdown(_w._model);
                return _w._model.Kind == ScreenKind.Qr && _w._rendering.Push();
            }
        }
    }
}
