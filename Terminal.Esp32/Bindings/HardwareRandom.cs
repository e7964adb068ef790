using System;
using Terminal.Core.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// Random bytes for request ids. On the ESP32, nanoFramework's <see cref="Random"/> reads the hardware
    /// generator (esp_random(), nf-interpreter targets/ESP32 CLR_RT_Random), which is truly random while the
    /// Wi-Fi radio is on; ids need uniqueness, not secrecy.
    /// </summary>
    public sealed class HardwareRandom : IRandom
    {
        private readonly Random _random = new Random();

        // Random.NextBytes fills a whole array; this chunk is copied into the caller's range.
        private readonly byte[] _chunk = new byte[16];

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                _random.NextBytes(_chunk);
                int n = count < _chunk.Length ? count : _chunk.Length;
                Array.Copy(_chunk, 0, buffer, offset, n);
                offset += n;
                count -= n;
            }
        }
    }
}
