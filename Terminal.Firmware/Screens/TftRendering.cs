using System;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Tft;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// A colour TFT (ST7789 or ILI9341): a <see cref="TftScreenPainter"/> describing each screen as a
    /// <see cref="TftScene"/>, which the driver renders band by band, sending only the rectangles that changed.
    /// </summary>
    public sealed class TftRendering : IScreenRendering
    {
        private readonly TftDriver _driver;
        private readonly TftScene _scene;
        private readonly TftScreenPainter _painter;

        public TftRendering(TftDriver driver)
        {
            if (driver == null)
            {
                throw new ArgumentNullException("driver");
            }

            _driver = driver;
            _scene = new TftScene(driver.Width, driver.Height);
            _painter = new TftScreenPainter(_scene);
        }

        public TftScene Scene
        {
            get { return _scene; }
        }

        public TftDriver Driver
        {
            get { return _driver; }
        }

        public int QrAreaSize
        {
            get { return _painter.QrAreaSize; }
        }

        public int QrQuietModules
        {
            get { return TftScreenPainter.QuietModules; }
        }

        public bool IsDirty
        {
            get { return _scene.IsDirty || _driver.NeedsRepaint; }
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
            return !IsDirty || _driver.Update(_scene);
        }
    }
}
