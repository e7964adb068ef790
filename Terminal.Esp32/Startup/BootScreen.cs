using Terminal.Firmware.Screens;

namespace Terminal.Esp32.Startup
{
    /// <summary>
    /// The display before the terminal app owns it: boot progress ("Connecting to Wi-Fi...") and, when the terminal
    /// cannot start, the reason. Uses the same screen model, renderings and drivers as the app, on the OLED or a
    /// colour TFT as the configuration says.
    /// </summary>
    public sealed class BootScreen
    {
        private readonly ScreenModel _model = new ScreenModel();
        private readonly IScreenRendering _rendering;

        public BootScreen(IScreenRendering rendering)
        {
            _rendering = rendering;
        }

        /// <summary>A progress line under the spinner.</summary>
        public void Progress(string text)
        {
            Show(_model.ShowProcessing(text));
        }

        /// <summary>A stop: what is wrong and what to do; stays until the terminal restarts.</summary>
        public void Failure(string reason, string action)
        {
            _model.AcknowledgeHint = null;
            Show(_model.ShowError(reason, action));
        }

        private void Show(bool changed)
        {
            if (changed)
            {
                _rendering.Render(_model);
            }

            _rendering.Push();
        }
    }
}
