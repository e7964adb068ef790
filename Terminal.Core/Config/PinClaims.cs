namespace Terminal.Core.Config
{
    /// <summary>
    /// The GPIO pins and UARTs the sections claim, each under the key that names it; one check over all of them:
    /// no pin serves two keys, no UART serves two parts (the ESP32 has COM2 and COM3 for the application), and on
    /// WROVER modules no pin is GPIO16/17, which are wired to the PSRAM (docs/configuration.md). Per-pin rules
    /// (flash pins, input-only pins) are checked when the key is read.
    /// </summary>
    public sealed class PinClaims
    {
        private string[] _keys = new string[0];
        private int[] _pins = new int[0];
        private string[] _uartKeys = new string[0];
        private int[] _uarts = new int[0];

        /// <summary>Whether the module is a WROVER, whose GPIO16/17 are wired to the PSRAM (the board section says so).</summary>
        public bool Wrover { get; set; }

        /// <summary>How many pins are claimed.</summary>
        public int Count
        {
            get { return _pins.Length; }
        }

        /// <summary>The key of claim <paramref name="index"/>.</summary>
        public string KeyAt(int index)
        {
            return _keys[index];
        }

        /// <summary>The pin of claim <paramref name="index"/>.</summary>
        public int PinAt(int index)
        {
            return _pins[index];
        }

        /// <summary>Claims <paramref name="pin"/> for <paramref name="key"/>; a negative pin (unset: the board default) claims nothing.</summary>
        public void Claim(string key, int pin)
        {
            if (pin < 0)
            {
                return;
            }

            // Grown one claim at a time (a handful, once at boot); every element of the new arrays is written.
            int count = _pins.Length;
            string[] keys = new string[count + 1];
            int[] pins = new int[count + 1];
            for (int i = 0; i < count; i++)
            {
                keys[i] = _keys[i];
                pins[i] = _pins[i];
            }

            keys[count] = key;
            pins[count] = pin;
            _keys = keys;
            _pins = pins;
        }

        /// <summary>Claims UART COM<paramref name="number"/> (2 or 3) for the part <paramref name="key"/> names.</summary>
        public void ClaimUart(string key, int number)
        {
            int count = _uarts.Length;
            string[] keys = new string[count + 1];
            int[] uarts = new int[count + 1];
            for (int i = 0; i < count; i++)
            {
                keys[i] = _uartKeys[i];
                uarts[i] = _uarts[i];
            }

            keys[count] = key;
            uarts[count] = number;
            _uartKeys = keys;
            _uarts = uarts;
        }

        /// <summary>
        /// Throws <see cref="ConfigException"/> for the first claim, in claim order, on a PSRAM pin of a WROVER
        /// module, then for the first pin a later key claims again, then for the first UART a later part claims
        /// again (the error names the earlier key).
        /// </summary>
        public void Check()
        {
            for (int i = 0; Wrover && i < Count; i++)
            {
                if (_pins[i] == 16 || _pins[i] == 17)
                {
                    throw new ConfigException(_keys[i], "GPIO" + _pins[i] + " is wired to the PSRAM on WROVER boards");
                }
            }

            for (int i = 1; i < Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (_pins[j] == _pins[i])
                    {
                        throw new ConfigException(_keys[j], "GPIO" + _pins[i] + " is also set for " + _keys[i] + ": every pin serves one part");
                    }
                }
            }

            for (int i = 1; i < _uarts.Length; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (_uarts[j] == _uarts[i])
                    {
                        throw new ConfigException(_uartKeys[j], "COM" + _uarts[i] + " is also used for " + _uartKeys[i] + ": every UART serves one part");
                    }
                }
            }
        }
    }
}
