using System;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display
{
    /// <summary>
    /// The I2C framing shared by SSD1306 and SH1106 (SSD1306 datasheet 8.1.5.2): every write starts with
    /// a control byte, 00h = "the rest are commands", 40h = "the rest is display data". Owns two
    /// preallocated scratch buffers, one for commands and one for data chunks, never the framebuffer:
    /// data is copied chunk by chunk so the control byte never overwrites image bytes.
    /// </summary>
    internal sealed class OledI2cLink
    {
        public const byte CommandControl = 0x00;
        public const byte DataControl = 0x40;

        /// <summary>Room for the longest command sequence (the init sequences are 26 bytes).</summary>
        public const int MaxCommandBytes = 32;

        /// <summary>Where commands start in <see cref="Commands"/> (index 0 holds the control byte).</summary>
        public const int CommandStart = 1;

        private readonly II2cBus _bus;
        private readonly byte[] _commands = new byte[1 + MaxCommandBytes];
        private readonly byte[] _data;
        private int _dataCount;
        private bool _dataFailed;

        public OledI2cLink(II2cBus bus, int maxDataPerWrite)
        {
            if (bus == null)
            {
                throw new ArgumentNullException("bus");
            }

            if (maxDataPerWrite < 1 || maxDataPerWrite > 1024)
            {
                throw new ArgumentOutOfRangeException("maxDataPerWrite", "data bytes per write must be 1..1024, was " + maxDataPerWrite);
            }

            _bus = bus;
            MaxDataPerWrite = maxDataPerWrite;
            _data = new byte[1 + maxDataPerWrite];
            _commands[0] = CommandControl;
            _data[0] = DataControl;
        }

        public int MaxDataPerWrite { get; private set; }

        /// <summary>Command scratch; write commands from <see cref="CommandStart"/>.</summary>
        public byte[] Commands
        {
            get { return _commands; }
        }

        /// <summary>Sends Commands[CommandStart..end) as one write.</summary>
        public bool SendCommands(int end)
        {
            return Write(_commands, end);
        }

        public void BeginData()
        {
            _dataCount = 0;
            _dataFailed = false;
        }

        /// <summary>Queues display bytes; full chunks are written at once, each as one I2C write.</summary>
        public void AppendData(byte[] source, int offset, int count)
        {
            while (count > 0 && !_dataFailed)
            {
                int room = MaxDataPerWrite - _dataCount;
                int n = count < room ? count : room;
                Array.Copy(source, offset, _data, 1 + _dataCount, n);
                _dataCount += n;
                offset += n;
                count -= n;
                if (_dataCount == MaxDataPerWrite)
                {
                    Flush();
                }
            }
        }

        /// <summary>Writes the last partial chunk; false when any chunk of this run failed.</summary>
        public bool EndData()
        {
            if (_dataCount > 0)
            {
                Flush();
            }

            return !_dataFailed;
        }

        private void Flush()
        {
            if (!_dataFailed && !Write(_data, 1 + _dataCount))
            {
                _dataFailed = true;
            }

            _dataCount = 0;
        }

        private bool Write(byte[] buffer, int count)
        {
            try
            {
                return _bus.Write(buffer, 0, count);
            }
            catch (Exception)
            {
                // A binding that throws instead of returning false is treated the same way: the caller
                // retries and reports; the screen loop never sees the exception.
                return false;
            }
        }
    }
}
