using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// SSD1306 128x64 over I2C (datasheet: Solomon Systech SSD1306 rev 1.1). Uses horizontal addressing:
    /// each update opens one or more 21h/22h windows around the dirty bytes (see
    /// <see cref="WindowPlanner"/>) and streams their bytes page after page, in chunks of
    /// <see cref="OledDriver.MaxDataPerWrite"/>. The I2C address is the bus binding's concern.
    /// </summary>
    public sealed class Ssd1306Driver : OledDriver
    {
        // Wire bytes: address + control + 21h c0 c1 22h p0 p1; per data write: address + control.
        private const int WindowOverhead = 8;
        private const int ChunkOverhead = 2;

        private readonly WindowPlanner _planner = new WindowPlanner();

        public Ssd1306Driver(II2cBus bus)
            : this(bus, DefaultMaxDataPerWrite, DefaultAttempts)
        {
        }

        public Ssd1306Driver(II2cBus bus, int maxDataPerWrite, int attempts)
            : base(bus, maxDataPerWrite, attempts)
        {
        }

        internal override int WriteInitSequence(byte[] buffer, int offset)
        {
            return Ssd1306InitSequence.Write(buffer, offset, Contrast, IsInverted, IsOn);
        }

        internal override bool SendDirty(Framebuffer framebuffer)
        {
            _planner.Plan(framebuffer, WindowOverhead, ChunkOverhead, MaxDataPerWrite);
            for (int w = 0; w < _planner.Count; w++)
            {
                if (!SendWindow(framebuffer, _planner.FirstPage[w], _planner.LastPage[w], _planner.FirstColumn[w], _planner.LastColumn[w]))
                {
                    return Failed("window pages " + _planner.FirstPage[w] + "-" + _planner.LastPage[w]
                        + " columns " + _planner.FirstColumn[w] + "-" + _planner.LastColumn[w]);
                }

                for (int p = _planner.FirstPage[w]; p <= _planner.LastPage[w]; p++)
                {
                    framebuffer.MarkPageClean(p);
                }
            }

            Succeeded();
            return true;
        }

        private bool SendWindow(Framebuffer framebuffer, int firstPage, int lastPage, int firstColumn, int lastColumn)
        {
            byte[] ram = framebuffer.Buffer;
            int width = lastColumn - firstColumn + 1;
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                if (attempt > 1)
                {
                    CountRetry();
                }

                int o = SetColumnAddress.Write(Link.Commands, OledI2cLink.CommandStart, firstColumn, lastColumn);
                o = SetPageAddress.Write(Link.Commands, o, firstPage, lastPage);
                if (!Link.SendCommands(o))
                {
                    continue;
                }

                Link.BeginData();
                for (int p = firstPage; p <= lastPage; p++)
                {
                    Link.AppendData(ram, p * Framebuffer.Width + firstColumn, width);
                }

                if (Link.EndData())
                {
                    return true;
                }
            }

            return false;
        }
    }
}
