using Terminal.Core.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>
    /// Named records in RAM that outlive an engine (a "reboot" builds a new engine over the same storage). Writes
    /// made while the power is off are lost, as they would be on the device.
    /// </summary>
    public sealed class RamStorage : IDurableStorage
    {
        private const int Slots = 8;

        // Every element written: nanoCLR crashes comparing a string[] element that was never written.
        private readonly string[] _names = { string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty };
        private readonly byte[][] _data = new byte[Slots][];
        private readonly PowerRail _power;

        public RamStorage(PowerRail power)
        {
            _power = power;
        }

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            if (i < 0 || _data[i] == null)
            {
                return -1;
            }

            byte[] record = _data[i];
            System.Array.Copy(record, 0, buffer, offset, record.Length < count ? record.Length : count);
            return record.Length;
        }

        public void Write(string name, byte[] buffer, int offset, int count)
        {
            if (!_power.On)
            {
                return;
            }

            int i = IndexOf(name);
            if (i < 0)
            {
                i = IndexOf(string.Empty);
                if (i < 0)
                {
                    throw new System.IO.IOException("storage full");
                }

                _names[i] = name;
            }

            byte[] copy = new byte[count];
            System.Array.Copy(buffer, offset, copy, 0, count);
            _data[i] = copy;
        }

        public void Delete(string name)
        {
            int i = IndexOf(name);
            if (i >= 0 && _power.On)
            {
                _data[i] = null;
                _names[i] = string.Empty;
            }
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < Slots; i++)
            {
                if (_names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
