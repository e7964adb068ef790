using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Ports;
using Terminal.Firmware.Screens;

namespace Terminal.Esp32.Startup
{
    /// <summary>
    /// The OLED before the terminal app owns it: boot progress ("Connecting to Wi-Fi...") and, when the terminal
    /// cannot start, the reason. Uses the same painter and drivers as the app.
    /// </summary>
    public sealed class BootScreen
    {
        private readonly Framebuffer _framebuffer = new Framebuffer();
        private readonly ScreenPainter _painter;
        private readonly IDisplayDriver _display;

        /// <param name="controller">"ssd1306" or "sh1106" (configuration property <c>display</c>).</param>
        public BootScreen(II2cBus bus, string controller)
        {
            _display = controller == "sh1106" ? (IDisplayDriver)new Sh1106Driver(bus) : new Ssd1306Driver(bus);
            _painter = new ScreenPainter(_framebuffer);
        }

        /// <summary>A progress line under the spinner.</summary>
        public void Progress(string text)
        {
            _painter.ShowProcessing(text);
            _display.Update(_framebuffer);
        }

        /// <summary>A stop: what is wrong and what to do; stays until the terminal restarts.</summary>
        public void Failure(string reason, string action)
        {
            _painter.AcknowledgeHint = null;
            _painter.ShowError(reason, action);
            _display.Update(_framebuffer);
        }
    }
}
