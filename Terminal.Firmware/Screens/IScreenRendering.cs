using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// One way of showing the <see cref="ScreenModel"/> on a display: the OLED (<see cref="OledRendering"/>) or a
    /// colour TFT (<see cref="TftRendering"/>). <see cref="Render"/> draws a new screen, the two others repaint only
    /// what a countdown tick or a spinner step changes; <see cref="Push"/> sends the changes to the display. Drawing
    /// and pushing allocate nothing; display trouble is reported in <see cref="Status"/>, never thrown.
    /// </summary>
    public interface IScreenRendering
    {
        /// <summary>Draws the model's screen afresh.</summary>
        void Render(ScreenModel model);

        /// <summary>Repaints the countdown of the QR screen.</summary>
        void RenderCountdown(ScreenModel model);

        /// <summary>Repaints the spinner of the processing and refund screens.</summary>
        void RenderSpinner(ScreenModel model);

        /// <summary>Side in pixels of the square the order code and its quiet zone may use.</summary>
        int QrAreaSize { get; }

        /// <summary>Light modules drawn around the order code.</summary>
        int QrQuietModules { get; }

        /// <summary>True while drawn changes have not reached the display.</summary>
        bool IsDirty { get; }

        /// <summary>Sends what changed; false when the display could not be reached (see <see cref="LastError"/>).</summary>
        bool Push();

        DisplayStatus Status { get; }

        /// <summary>Description of the last failure, or null.</summary>
        string LastError { get; }

        int Retries { get; }

        int Failures { get; }
    }
}
