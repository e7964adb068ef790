using System;
using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display
{
    /// <summary>
    /// What SSD1306 and SH1106 drivers share: settings remembered across re-initialisation, retries and
    /// exception-free error reporting. The unit of retry is a whole operation (a command group, or one
    /// address window with its data), re-sent from its address commands, so a write that failed half-way
    /// cannot leave the RAM pointer somewhere else for the retry.
    /// </summary>
    public abstract class OledDriver : IDisplayDriver
    {
        /// <summary>Data bytes per I2C write (plus the control byte); the ESP32 driver handles 128 easily.</summary>
        public const int DefaultMaxDataPerWrite = 128;

        public const int DefaultAttempts = 3;

        /// <summary>Contrast for the internal charge pump (the init sequence of docs/display.md, controller command reference).</summary>
        public const int DefaultContrast = 0xCF;

        private readonly int _attempts;
        private bool _initialized;
        private bool _fullRefreshPending;

        internal OledDriver(II2cBus bus, int maxDataPerWrite, int attempts)
        {
            if (attempts < 1)
            {
                throw new ArgumentOutOfRangeException("attempts", "attempts must be at least 1, was " + attempts);
            }

            Link = new OledI2cLink(bus, maxDataPerWrite);
            _attempts = attempts;
            Contrast = DefaultContrast;
            IsOn = true;
            Status = DisplayStatus.NotInitialized;
        }

        public DisplayStatus Status { get; private set; }

        public string LastError { get; private set; }

        public int Retries { get; private set; }

        public int Failures { get; private set; }

        public int Contrast { get; private set; }

        public bool IsOn { get; private set; }

        public bool IsInverted { get; private set; }

        /// <summary>Data bytes per I2C write.</summary>
        public int MaxDataPerWrite
        {
            get { return Link.MaxDataPerWrite; }
        }

        internal OledI2cLink Link { get; private set; }

        public bool Initialize()
        {
            int end = WriteInitSequence(Link.Commands, OledI2cLink.CommandStart);
            if (!SendCommands(end, "init sequence"))
            {
                _initialized = false;
                return false;
            }

            _initialized = true;
            _fullRefreshPending = true;
            return true;
        }

        public bool Update(Framebuffer framebuffer)
        {
            if (framebuffer == null)
            {
                throw new ArgumentNullException("framebuffer");
            }

            if (!_initialized && !Initialize())
            {
                return false;
            }

            if (_fullRefreshPending)
            {
                // RAM content after power-up or a failed write is unknown.
                framebuffer.MarkAllDirty();
                _fullRefreshPending = false;
            }

            return SendDirty(framebuffer);
        }

        public bool SetContrast(int contrast)
        {
            CommandBuffer.CheckRange(contrast, 0, 255, "contrast");
            Contrast = contrast;
            if (!_initialized)
            {
                return Initialize(); // the init sequence carries the new setting
            }

            int end = Ssd1306.SetContrast.Write(Link.Commands, OledI2cLink.CommandStart, contrast);
            return SendCommands(end, "contrast");
        }

        public bool SetPower(bool on)
        {
            IsOn = on;
            if (!_initialized)
            {
                return Initialize(); // the init sequence carries the new setting
            }

            int end = SetDisplayOnOff.Write(Link.Commands, OledI2cLink.CommandStart, on);
            return SendCommands(end, on ? "display on" : "display off");
        }

        public bool SetInverted(bool inverted)
        {
            IsInverted = inverted;
            if (!_initialized)
            {
                return Initialize(); // the init sequence carries the new setting
            }

            int end = SetInverseDisplay.Write(Link.Commands, OledI2cLink.CommandStart, inverted);
            return SendCommands(end, "invert");
        }

        /// <summary>Writes the controller's init sequence (using Contrast, IsInverted, IsOn); returns the end offset.</summary>
        internal abstract int WriteInitSequence(byte[] buffer, int offset);

        /// <summary>Sends every dirty window and marks it clean; false after a window failed every attempt.</summary>
        internal abstract bool SendDirty(Framebuffer framebuffer);

        /// <summary>Sends Link.Commands[CommandStart..end) with retries.</summary>
        internal bool SendCommands(int end, string what)
        {
            for (int attempt = 1; attempt <= _attempts; attempt++)
            {
                if (Link.SendCommands(end))
                {
                    Succeeded();
                    return true;
                }

                if (attempt < _attempts)
                {
                    Retries++;
                }
            }

            return Failed(what);
        }

        /// <summary>The retry budget for one operation.</summary>
        internal int Attempts
        {
            get { return _attempts; }
        }

        internal void CountRetry()
        {
            Retries++;
        }

        internal void Succeeded()
        {
            Status = DisplayStatus.Ok;
        }

        /// <summary>Records a failure after every attempt; re-initialise (and repaint) on the next Update.</summary>
        internal bool Failed(string what)
        {
            Failures++;
            Status = DisplayStatus.WriteFailed;
            LastError = "I2C write failed " + _attempts + " times: " + what;
            _initialized = false;
            return false;
        }
    }
}
