namespace Terminal.Drivers.Display
{
    /// <summary>
    /// A 128x64 monochrome OLED controller behind an I2C port (SSD1306 or SH1106). No method throws for
    /// bus trouble: every operation retries, then returns false and leaves the reason in
    /// <see cref="Status"/> and <see cref="LastError"/>. Arguments out of range are programming errors and
    /// throw ArgumentOutOfRangeException.
    /// </summary>
    public interface IDisplayDriver
    {
        /// <summary>Sends the controller's init sequence; the next Update repaints the whole frame.</summary>
        bool Initialize();

        /// <summary>
        /// Sends the framebuffer's dirty windows and marks what arrived clean. Initialises first when
        /// needed (also after a failed write, in case the module lost power). Pages that did not arrive
        /// stay dirty for the next call.
        /// </summary>
        bool Update(Framebuffer framebuffer);

        /// <summary>
        /// Contrast 0..255. Like the other settings it is remembered and part of every init sequence; when
        /// the controller is not initialised (yet, or after a failure) the call initialises it.
        /// </summary>
        bool SetContrast(int contrast);

        /// <summary>Display on, or sleep (RAM kept).</summary>
        bool SetPower(bool on);

        /// <summary>Shows every pixel inverted without touching RAM.</summary>
        bool SetInverted(bool inverted);

        DisplayStatus Status { get; }

        /// <summary>Description of the last failure, or null.</summary>
        string LastError { get; }

        /// <summary>Retries so far (attempts after a failed first attempt).</summary>
        int Retries { get; }

        /// <summary>Operations that failed on every attempt.</summary>
        int Failures { get; }
    }
}
