using Terminal.Core.Ports;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>Two named records in RAM; can cut the last write in half.</summary>
    internal sealed class RamStorage : IDurableStorage
    {
        // Every element written here: nanoCLR leaves a never-written string[] element as a string block with
        // no text, and string == on it dereferences null (segfault on the POSIX host, fault on the device).
        private readonly string[] _names = { string.Empty, string.Empty };
        private readonly byte[][] _data = new byte[2][];
        private int _last = -1;

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            if (i < 0 || _data[i] == null)
            {
                return -1;
            }

            int n = _data[i].Length < count ? _data[i].Length : count;
            System.Array.Copy(_data[i], 0, buffer, offset, n);
            return _data[i].Length;
        }

        public void Write(string name, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            if (i < 0)
            {
                i = _names[0].Length == 0 ? 0 : 1;
                _names[i] = name;
            }

            byte[] copy = new byte[count];
            System.Array.Copy(buffer, offset, copy, 0, count);
            _data[i] = copy;
            _last = i;
        }

        public void Delete(string name)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                _data[i] = null;
            }
        }

        public void TearLastWrite()
        {
            byte[] old = _data[_last];
            byte[] torn = new byte[old.Length / 2];
            System.Array.Copy(old, torn, torn.Length);
            _data[_last] = torn;
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < _names.Length; i++)
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
