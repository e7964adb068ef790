using System;
using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>The 128x64 OLED: a <see cref="ScreenPainter"/> drawing into a <see cref="Framebuffer"/>, sent by an SSD1306 or SH1106 driver.</summary>
    public sealed class OledRendering : IScreenRendering
    {
        private readonly IDisplayDriver _driver;
        private readonly Framebuffer _framebuffer = new Framebuffer();
        private readonly ScreenPainter _painter;

        public OledRendering(IDisplayDriver driver)
        {
            if (driver == null)
            {
                throw new ArgumentNullException("driver");
            }

            _driver = driver;
            _painter = new ScreenPainter(_framebuffer);
        }

        public Framebuffer Framebuffer
        {
            get { return _framebuffer; }
        }

        public IDisplayDriver Driver
        {
            get { return _driver; }
        }

        public int QrAreaSize
        {
            get { return QrLayout.AreaSize; }
        }

        public int QrQuietModules
        {
            get { return QrLayout.QuietModules; }
        }

        public bool IsDirty
        {
            get { return _framebuffer.IsDirty; }
        }

        public DisplayStatus Status
        {
            get { return _driver.Status; }
        }

        public string LastError
        {
            get { return _driver.LastError; }
        }

        public int Retries
        {
            get { return _driver.Retries; }
        }

        public int Failures
        {
            get { return _driver.Failures; }
        }

        public void Render(ScreenModel model)
        {
            _painter.Render(model);
        }

        public void RenderCountdown(ScreenModel model)
        {
            _painter.RenderCountdown(model);
        }

        public void RenderSpinner(ScreenModel model)
        {
            _painter.RenderSpinner(model);
        }

        public bool Push()
        {
            return !_framebuffer.IsDirty || _driver.Update(_framebuffer);
        }
    }
}
