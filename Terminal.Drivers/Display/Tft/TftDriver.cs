using System;
using System.Threading;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// What the ST7789 and ILI9341 drivers share: the init sequence walk with its settling pauses, the address
    /// window (CASET, RASET, RAMWR) of each band of each dirty rectangle of a <see cref="TftScene"/>, power and
    /// backlight, retries and exception-free error reporting as the OLED drivers do. Pixels are computed by a
    /// <see cref="SceneRenderer"/> into one band buffer of <see cref="BandBytes"/> bytes, the only large buffer of
    /// the colour display path; no frame buffer exists.
    /// <para>
    /// SPI has no acknowledgement: a write the binding reports as failed (or that throws) is retried from its
    /// window commands, and after the last attempt the driver reports WriteFailed and initialises the controller
    /// and repaints everything on the next update, as after a power loss.
    /// </para>
    /// </summary>
    public abstract class TftDriver
    {
        /// <summary>
        /// Band buffer: 8 rows of a 240-pixel-wide panel, 6 of a 320-pixel one. A band costs 11 bytes of window
        /// commands on the wire (0.3 % of its pixels) and one SPI transaction for its pixels.
        /// </summary>
        public const int BandBytes = 3840;

        public const int DefaultAttempts = 3;

        /// <summary>Backlight level after start-up, 0..255.</summary>
        public const int DefaultBrightness = 255;

        private readonly ISpiDisplayBus _bus;
        private readonly IBacklight _backlight;
        private readonly TftPause _pause;
        private readonly int _attempts;
        private readonly byte[] _command = new byte[1];
        private readonly byte[] _parameters = new byte[16];
        private readonly byte[] _band = new byte[BandBytes];
        private readonly SceneRenderer _renderer = new SceneRenderer();
        private bool _initialized;
        private bool _fullRefreshPending;

        internal TftDriver(ISpiDisplayBus bus, IBacklight backlight, TftPause pause, int width, int height, int attempts)
        {
            if (bus == null)
            {
                throw new ArgumentNullException("bus");
            }

            if (attempts < 1)
            {
                throw new ArgumentOutOfRangeException("attempts", "attempts must be at least 1, was " + attempts);
            }

            _bus = bus;
            _backlight = backlight;
            _pause = pause;
            _attempts = attempts;
            Width = width;
            Height = height;
            Brightness = DefaultBrightness;
            IsOn = true;
            Status = DisplayStatus.NotInitialized;
        }

        /// <summary>Pixels across, as the screens are laid out (after the controller's rotation).</summary>
        public int Width { get; private set; }

        public int Height { get; private set; }

        public DisplayStatus Status { get; private set; }

        public string LastError { get; private set; }

        public int Retries { get; private set; }

        public int Failures { get; private set; }

        public int Brightness { get; private set; }

        public bool IsOn { get; private set; }

        /// <summary>
        /// True when the panel may not show what the driver last sent or was told (before the first initialisation,
        /// after a failed write or power change): the next <see cref="Update"/> initialises it and repaints everything,
        /// even a scene without changes.
        /// </summary>
        public bool NeedsRepaint
        {
            get { return !_initialized; }
        }

        /// <summary>
        /// Resets the controller by command and sends its init sequence, then the orientation, colour inversion and
        /// display on; the next <see cref="Update"/> repaints the whole screen.
        /// </summary>
        public bool Initialize()
        {
            for (int attempt = 1; attempt <= _attempts; attempt++)
            {
                if (attempt > 1)
                {
                    Retries++;
                }

                if (SendInit())
                {
                    _initialized = true;
                    _fullRefreshPending = true;
                    SetBacklight(IsOn ? Brightness : 0);
                    Status = DisplayStatus.Ok;
                    return true;
                }
            }

            _initialized = false;
            return Failed("init sequence");
        }

        /// <summary>
        /// Sends every dirty rectangle of the scene, band by band, each in its own address window, and marks the
        /// scene clean. Initialises first when needed. Allocates nothing.
        /// </summary>
        public bool Update(TftScene scene)
        {
            if (scene == null)
            {
                throw new ArgumentNullException("scene");
            }

            if (scene.Width != Width || scene.Height != Height)
            {
                throw new ArgumentException("scene is " + scene.Width + "x" + scene.Height + ", the panel " + Width + "x" + Height, "scene");
            }

            if (!_initialized && !Initialize())
            {
                return false;
            }

            if (_fullRefreshPending)
            {
                // Display RAM after reset or a failed write is unknown.
                scene.MarkAllDirty();
                _fullRefreshPending = false;
            }

            for (int r = 0; r < scene.DirtyCount; r++)
            {
                int left = scene.DirtyLeft(r);
                int top = scene.DirtyTop(r);
                int width = scene.DirtyRight(r) - left;
                int bottom = scene.DirtyBottom(r);
                int rowsPerBand = BandBytes / (2 * width);
                for (int y = top; y < bottom; y += rowsPerBand)
                {
                    int rows = bottom - y < rowsPerBand ? bottom - y : rowsPerBand;
                    _renderer.Render(scene, left, y, width, rows, _band);
                    if (!SendBand(left, y, width, rows))
                    {
                        return Failed("window columns " + left + "-" + (left + width - 1) + " rows " + y + "-" + (y + rows - 1));
                    }
                }
            }

            scene.MarkClean();
            Status = DisplayStatus.Ok;
            return true;
        }

        /// <summary>Display and backlight on, or off with the controller asleep (RAM kept).</summary>
        public bool SetPower(bool on)
        {
            IsOn = on;
            if (!_initialized)
            {
                return Initialize(); // the init sequence carries the setting
            }

            bool sent;
            if (on)
            {
                sent = Command(Dcs.SleepOut, 0) && Pause(120) && Command(Dcs.DisplayOn, 0);
                SetBacklight(Brightness);
            }
            else
            {
                SetBacklight(0);
                sent = Command(Dcs.DisplayOff, 0) && Command(Dcs.SleepIn, 0) && Pause(120); // 120 ms before a sleep out may follow
            }

            return sent ? Succeeded() : Failed(on ? "display on" : "display off");
        }

        /// <summary>Backlight level 0..255, remembered across re-initialisation.</summary>
        public bool SetBrightness(int level)
        {
            if (level < 0 || level > 255)
            {
                throw new ArgumentOutOfRangeException("level", "brightness must be 0..255, was " + level);
            }

            Brightness = level;
            return IsOn ? SetBacklight(level) : true;
        }

        /// <summary>The controller's own init table: entries of command, parameter count (bit 7: a pause byte follows the parameters), parameters.</summary>
        internal abstract byte[] InitTable { get; }

        /// <summary>The MADCTL byte that maps the screen's x and y onto this panel's RAM.</summary>
        internal abstract int MemoryAccess { get; }

        /// <summary>True for panels that show the colours right only with inversion on (IPS ST7789 modules).</summary>
        internal abstract bool InvertColours { get; }

        private bool SendInit()
        {
            byte[] table = InitTable;
            int i = 0;
            while (i < table.Length)
            {
                byte command = table[i++];
                int count = table[i] & 0x7F;
                bool pause = (table[i++] & 0x80) != 0;
                Array.Copy(table, i, _parameters, 0, count);
                i += count;
                if (!Command(command, count))
                {
                    return false;
                }

                if (pause && !Pause(table[i++]))
                {
                    return false;
                }
            }

            _parameters[0] = (byte)MemoryAccess;
            return Command(Dcs.MemoryAccessControl, 1)
                && Command(InvertColours ? Dcs.InversionOn : Dcs.InversionOff, 0)
                && Command(Dcs.NormalMode, 0)
                && Command(IsOn ? Dcs.DisplayOn : Dcs.DisplayOff, 0);
        }

        private bool SendBand(int left, int top, int width, int rows)
        {
            for (int attempt = 1; attempt <= _attempts; attempt++)
            {
                if (attempt > 1)
                {
                    Retries++;
                }

                if (Window(Dcs.ColumnAddressSet, left, left + width - 1)
                    && Window(Dcs.RowAddressSet, top, top + rows - 1)
                    && Command(Dcs.MemoryWrite, 0)
                    && Send(_band, 2 * width * rows, true))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Window(byte command, int first, int last)
        {
            _parameters[0] = (byte)(first >> 8);
            _parameters[1] = (byte)first;
            _parameters[2] = (byte)(last >> 8);
            _parameters[3] = (byte)last;
            return Command(command, 4);
        }

        // The command byte with D/CX low, then _parameters[0..count) with D/CX high.
        private bool Command(byte command, int count)
        {
            _command[0] = command;
            return Send(_command, 1, false) && (count == 0 || Send(_parameters, count, true));
        }

        private bool Send(byte[] buffer, int count, bool data)
        {
            try
            {
                return _bus.Write(buffer, 0, count, data);
            }
            catch (Exception)
            {
                // A binding that throws is treated like one that reports a failed transfer.
                return false;
            }
        }

        private bool Pause(int milliseconds)
        {
            if (_pause != null)
            {
                _pause(milliseconds);
            }
            else
            {
                Thread.Sleep(milliseconds);
            }

            return true;
        }

        private bool SetBacklight(int level)
        {
            if (_backlight == null)
            {
                return true;
            }

            try
            {
                return _backlight.SetLevel(level);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private bool Succeeded()
        {
            Status = DisplayStatus.Ok;
            return true;
        }

        private bool Failed(string what)
        {
            Failures++;
            Status = DisplayStatus.WriteFailed;
            LastError = "SPI write failed " + _attempts + " times: " + what;
            _initialized = false;
            return false;
        }
    }
}
