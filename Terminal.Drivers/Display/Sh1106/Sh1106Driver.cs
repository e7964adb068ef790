using Terminal.Drivers.Display.Ssd1306;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display.Sh1106
{
    /// <summary>
    /// SH1106 128x64 over I2C (Sino Wealth SH1106 datasheet v2.3), as on most 1.3" modules. Its RAM is
    /// 132 columns wide and the panel shows columns 2..129, so framebuffer column x is RAM column x + 2.
    /// It has page addressing only: each dirty page gets B0h+page and the column nibbles, then its dirty
    /// bytes; the column pointer stops at the page end, so pages are never merged.
    /// </summary>
    public sealed class Sh1106Driver : OledDriver
    {
        /// <summary>RAM columns of the controller.</summary>
        public const int RamColumns = 132;

        /// <summary>RAM column shown at the panel's left edge.</summary>
        public const int ColumnOffset = 2;

        public Sh1106Driver(II2cBus bus)
            : this(bus, DefaultMaxDataPerWrite, DefaultAttempts)
        {
        }

        public Sh1106Driver(II2cBus bus, int maxDataPerWrite, int attempts)
            : base(bus, maxDataPerWrite, attempts)
        {
        }

        internal override int WriteInitSequence(byte[] buffer, int offset)
        {
            return Sh1106InitSequence.Write(buffer, offset, Contrast, IsInverted, IsOn);
        }

        internal override bool SendDirty(Framebuffer framebuffer)
        {
            for (int page = 0; page < Framebuffer.Pages; page++)
            {
                if (!framebuffer.IsPageDirty(page))
                {
                    continue;
                }

                int first = framebuffer.DirtyFirstColumn(page);
                int last = framebuffer.DirtyLastColumn(page);
                if (!SendPage(framebuffer, page, first, last))
                {
                    return Failed("page " + page + " columns " + first + "-" + last);
                }

                framebuffer.MarkPageClean(page);
            }

            Succeeded();
            return true;
        }

        private bool SendPage(Framebuffer framebuffer, int page, int first, int last)
        {
            int ramColumn = first + ColumnOffset;
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                if (attempt > 1)
                {
                    CountRetry();
                }

                int o = SetPageStart.Write(Link.Commands, OledI2cLink.CommandStart, page);
                o = SetLowerColumn.Write(Link.Commands, o, ramColumn & 0x0F);
                o = SetHigherColumn.Write(Link.Commands, o, ramColumn >> 4);
                if (!Link.SendCommands(o))
                {
                    continue;
                }

                Link.BeginData();
                Link.AppendData(framebuffer.Buffer, page * Framebuffer.Width + first, last - first + 1);
                if (Link.EndData())
                {
                    return true;
                }
            }

            return false;
        }
    }
}
