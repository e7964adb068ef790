using Terminal.Drivers.Ports;

namespace Terminal.Drivers.MdbBridge
{
    /// <summary>
    /// A Qibixx MDB Pi HAT (or MDB-USB interface) in cashless-peripheral mode, over its UART line protocol
    /// (115200 8N1, ASCII lines; docs/vending.md section 5 lists the lines and their public sources). The bridge
    /// does MDB's 9-bit framing, checksums and 5 ms answers towards the vending machine controller (VMC); this
    /// driver sets it up, reads its lines as <see cref="BridgeEvent"/>s and sends the terminal's decisions:
    /// <code>
    /// bridge.Start(0x10, 840, 1, false, 60);   // C,0  C,SETCONF,...  C,1
    /// // main loop: while ((e = bridge.Poll(0)) != BridgeEvent.None) { ... }
    /// bridge.BeginSession(1000);  bridge.Approve(150);  bridge.Deny();
    /// </code>
    /// Writes are serialised (the worker approves while the main loop reads); reading belongs to one thread. An
    /// idle <see cref="Poll"/> allocates nothing. Lines longer than <see cref="MaxLine"/> are noise and dropped.
    /// </summary>
    public sealed class MdbBridge
    {
        /// <summary>Longest line kept; the longest the bridge sends is a vend request, about 30 bytes.</summary>
        public const int MaxLine = 64;

        private const int ChunkLength = 128;

        private readonly ISerialPort _port;
        private readonly int _decimals;
        private readonly object _writeGate = new object();
        private readonly byte[] _out = new byte[MaxLine];
        private readonly byte[] _chunk = new byte[ChunkLength];
        private readonly byte[] _line = new byte[MaxLine];
        private int _chunkStart;
        private int _chunkEnd;
        private int _lineLength;
        private bool _overflow;

        /// <param name="decimals">Decimal places of the amounts on the line (MDB's decimal places: the currency's exponent).</param>
        public MdbBridge(ISerialPort port, int decimals)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            if (decimals < 0 || decimals > 3)
            {
                throw new System.ArgumentOutOfRangeException("decimals", "MDB has 0..3 decimal places");
            }

            _port = port;
            _decimals = decimals;
        }

        /// <summary>The amount of the last <see cref="BridgeEvent.VendRequest"/>, in units of 10^-decimals.</summary>
        public long Amount { get; private set; }

        /// <summary>The item number of the last <see cref="BridgeEvent.VendRequest"/>.</summary>
        public int Item { get; private set; }

        /// <summary>The text of the last <see cref="BridgeEvent.Error"/> line (made only when one arrives).</summary>
        public string LastError { get; private set; }

        /// <summary>Bytes written to the bridge, line ends included.</summary>
        public long BytesSent { get; private set; }

        /// <summary>Bytes read from the bridge, line ends included.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>Lines dropped as too long (noise on the line, or the wrong speed).</summary>
        public int DroppedLines { get; private set; }

        /// <summary>
        /// Sets the cashless device up and switches it on: off first (settings are taken only while off), then
        /// its MDB address (0x10 cashless #1, 0x60 #2), the currency as MDB's country code (0x1 and the ISO 4217
        /// number), scale factor and decimal places for the reader configuration data, whether it offers
        /// always-idle (selection first) vends, the answer time it announces, then on. The bridge answers each
        /// setting with <c>c,SET,OK</c> and then reports its state.
        /// </summary>
        public void Start(int address, int currencyNumeric, int scaleFactor, bool alwaysIdle, int responseTimeS)
        {
            SwitchOff();
            Setting("mdb-address=0x", address, true);
            Setting("mdb-currency-code=0x1", currencyNumeric, false);
            Setting("mdb-scale-factor=", scaleFactor, false);
            Setting("mdb-decimal-places=", _decimals, false);
            Setting("mdb-always-idle=", alwaysIdle ? 1 : 0, false);
            Setting("mdb-timeout=", responseTimeS, false);
            Command("C,1", -1);
        }

        /// <summary>C,0: the device leaves the bus (the machine then sees no cashless device).</summary>
        public void SwitchOff()
        {
            Command("C,0", -1);
        }

        /// <summary>C,START: opens a session with <paramref name="funds"/> available (the machine then lets the customer choose).</summary>
        public void BeginSession(long funds)
        {
            Command("C,START,", funds);
        }

        /// <summary>C,VEND: approves the machine's vend request for <paramref name="amount"/> (VEND APPROVED).</summary>
        public void Approve(long amount)
        {
            Command("C,VEND,", amount);
        }

        /// <summary>C,STOP: denies the vend request (VEND DENIED), or ends a session nobody used.</summary>
        public void Deny()
        {
            Command("C,STOP", -1);
        }

        /// <summary>
        /// The next line's event, waiting at most <paramref name="waitMs"/> for bytes when no complete line is
        /// buffered; <see cref="BridgeEvent.None"/> when none is complete. Call until None to drain the line.
        /// </summary>
        public BridgeEvent Poll(int waitMs)
        {
            bool waited = false;
            while (true)
            {
                while (_chunkStart < _chunkEnd)
                {
                    byte b = _chunk[_chunkStart++];
                    if (b == (byte)'\n')
                    {
                        BridgeEvent e = EndOfLine();
                        if (e != BridgeEvent.None)
                        {
                            return e;
                        }
                    }
                    else if (b != (byte)'\r')
                    {
                        Append(b);
                    }
                }

                int read = _port.Read(_chunk, 0, ChunkLength, waited ? 0 : waitMs);
                waited = true;
                if (read <= 0)
                {
                    return BridgeEvent.None;
                }

                BytesReceived += read;
                _chunkStart = 0;
                _chunkEnd = read;
            }
        }

        private void Append(byte b)
        {
            if (_lineLength == MaxLine)
            {
                _overflow = true;
                return;
            }

            _line[_lineLength++] = b;
        }

        private BridgeEvent EndOfLine()
        {
            int length = _lineLength;
            bool overflow = _overflow;
            _lineLength = 0;
            _overflow = false;
            if (overflow)
            {
                DroppedLines++;
                return BridgeEvent.None;
            }

            if (length == 0)
            {
                return BridgeEvent.None;
            }

            long amount;
            int item;
            BridgeEvent e = BridgeLineParser.Parse(_line, length, _decimals, out amount, out item);
            if (e == BridgeEvent.VendRequest)
            {
                Amount = amount;
                Item = item;
            }
            else if (e == BridgeEvent.Error)
            {
                char[] text = new char[length];
                for (int i = 0; i < length; i++)
                {
                    text[i] = _line[i] < 0x20 || _line[i] > 0x7E ? '?' : (char)_line[i];
                }

                LastError = new string(text);
            }

            return e;
        }

        private void Setting(string prefix, int value, bool hex)
        {
            lock (_writeGate)
            {
                int p = Put("C,SETCONF,", 0);
                p = Put(prefix, p);
                p = hex ? PutHex(value, p) : BridgeLineParser.WriteWhole(value, _out, p);
                Send(p);
            }
        }

        /// <summary>Writes <paramref name="text"/>, then <paramref name="amount"/> as a decimal unless negative, then the line end.</summary>
        private void Command(string text, long amount)
        {
            lock (_writeGate)
            {
                int p = Put(text, 0);
                if (amount >= 0)
                {
                    p = BridgeLineParser.WriteAmount(amount, _decimals, _out, p);
                }

                Send(p);
            }
        }

        private void Send(int length)
        {
            _out[length++] = (byte)'\n';
            _port.Write(_out, 0, length);
            BytesSent += length;
        }

        private int Put(string text, int offset)
        {
            for (int i = 0; i < text.Length; i++)
            {
                _out[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }

        private int PutHex(int value, int offset)
        {
            const string digits = "0123456789ABCDEF";
            _out[offset] = (byte)digits[(value >> 4) & 0xF];
            _out[offset + 1] = (byte)digits[value & 0xF];
            return offset + 2;
        }
    }
}
