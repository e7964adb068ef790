using Terminal.Drivers.Ports;
using Terminal.Drivers.Scanner.Commands;

namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// Driver for a Grow GM65-family barcode/QR module on a UART (9600 8N1), over <see cref="ISerialPort"/>.
    /// Protocol: GM65 user manual section 8 (zone bits, <c>7E 00</c> frames, CRC-CCITT); see docs/scanner.md.
    /// <para>
    /// <see cref="Configure"/> runs once at boot: it reads each zone it cares about (mode, QR enable, output
    /// tail), writes back only what differs, checks every ACK with retries, and saves to flash only if it
    /// changed something. <see cref="Poll"/> then turns the data stream into codes through a
    /// <see cref="CodeFramer"/>. After construction nothing here allocates except the status message (on a
    /// status change) and <see cref="CodeToString"/>.
    /// </para>
    /// Not thread-safe: call it from one thread (the app's scanner or main loop).
    /// </summary>
    public sealed class Gm65Scanner
    {
        private const int ChunkSize = 64;

        // Reads of what waited in the UART when a scan begins: bounded, so a streaming module cannot hold the caller.
        private const int BeginDrainReads = 8;

        private readonly ISerialPort _port;
        private readonly ScannerClock _clock;
        private readonly int _replyTimeoutMs;
        private readonly int _attempts;
        private readonly CodeFramer _framer;
        private readonly Gm65ReplyParser _reply;

        // Commands are framed into one scratch buffer, never into the receive buffer.
        private readonly byte[] _tx;
        private readonly byte[] _trigger;
        private readonly byte[] _rx;
        private int _rxLength;
        private int _rxPosition;
        private long _rxTime;

        // Whether the module answered anything during this Configure: silence from the start means it is
        // missing; silence later means a setting was not confirmed.
        private bool _anyReply;

        // Since BeginScan: a trigger was written, and (with a module that acknowledges commands) its ACK is still
        // awaited, so whatever completes now was read for an earlier request.
        private bool _triggeredSinceBegin;
        private bool _awaitingTriggerAck;

        /// <summary>Creates the driver with default <see cref="ScannerSettings"/>.</summary>
        public Gm65Scanner(ISerialPort port, ScannerClock clock)
            : this(port, clock, new ScannerSettings())
        {
        }

        /// <summary>Creates the driver. Nothing is sent until <see cref="Configure"/> or <see cref="Trigger"/>.</summary>
        public Gm65Scanner(ISerialPort port, ScannerClock clock, ScannerSettings settings)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            if (clock == null)
            {
                throw new System.ArgumentNullException("clock");
            }

            if (settings == null)
            {
                throw new System.ArgumentNullException("settings");
            }

            _port = port;
            _clock = clock;
            _framer = new CodeFramer(settings);
            _replyTimeoutMs = settings.ReplyTimeoutMs;
            _attempts = settings.Attempts;
            _reply = new Gm65ReplyParser(8);
            _tx = new byte[Gm65Protocol.CommandOverhead + 8];
            _rx = new byte[ChunkSize];
            TriggerScan trigger = new TriggerScan();
            _trigger = new byte[trigger.Length];
            trigger.WriteTo(_trigger, 0);
            Status = ScannerStatus.NotConfigured;
            StatusMessage = "Scanner not set up yet";
        }

        /// <summary>Where the module stands after <see cref="Configure"/>.</summary>
        public ScannerStatus Status { get; private set; }

        /// <summary>The status in plain words for the screen and the host link.</summary>
        public string StatusMessage { get; private set; }

        /// <summary>The mode asked for in the last <see cref="Configure"/>.</summary>
        public ScannerMode Mode { get; private set; }

        /// <summary>True when the last Configure wrote settings and saved them to the module's flash.</summary>
        public bool SavedToFlash { get; private set; }

        /// <summary>The driver-owned buffer with the last code, bytes [0, <see cref="CodeLength"/>).</summary>
        public byte[] Code
        {
            get { return _framer.Code; }
        }

        /// <summary>Length of the last code.</summary>
        public int CodeLength
        {
            get { return _framer.CodeLength; }
        }

        /// <summary>The last code as a string (allocates).</summary>
        public string CodeToString()
        {
            return _framer.CodeToString();
        }

        /// <summary>Lines dropped as <see cref="ScanOutcome.Stale"/>: read by the module for an earlier request.</summary>
        public int StaleLines { get; private set; }

        /// <summary>Forgets the last code so that reading it again counts.</summary>
        public void ForgetLastCode()
        {
            _framer.ForgetLastCode();
        }

        /// <summary>
        /// A new request for a code starts (a sale begins to scan): from now on only a code the module reads for
        /// this request counts. In command mode a trigger opens a scan window of several seconds that nothing
        /// closes when the terminal stops asking, so a customer who shows a code after that can have it read and
        /// sent while the terminal is idle, or just as the next sale begins; it may wait whole or in part in the
        /// UART and in this driver, or still be on the wire. So everything buffered now is dropped, the line in
        /// progress is dropped when it ends, and, when the module confirms commands (<see cref="ScannerStatus.Ready"/>
        /// in command mode), every line before the ACK of a trigger written after this call is dropped too: the
        /// module sends a trigger's ACK before what that scan reads (GM65 manual, section 8). Dropped lines come
        /// out of <see cref="Poll"/> as <see cref="ScanOutcome.Stale"/>. Forgets the last code. Allocates nothing.
        /// </summary>
        public void BeginScan()
        {
            long now = _clock();
            for (int read = 0; read <= BeginDrainReads; read++)
            {
                while (_rxPosition < _rxLength)
                {
                    if (_framer.Feed(_rx[_rxPosition++], now) != ScanOutcome.None)
                    {
                        StaleLines++;
                    }
                }

                if (read == BeginDrainReads)
                {
                    break;
                }

                _rxPosition = 0;
                _rxLength = _port.Read(_rx, 0, _rx.Length, 0);
                if (_rxLength <= 0)
                {
                    _rxLength = 0;
                    break;
                }
            }

            _framer.DropLineInProgress();
            _framer.ForgetLastCode();
            _triggeredSinceBegin = false;
            _awaitingTriggerAck = Status == ScannerStatus.Ready && Mode == ScannerMode.CommandTriggered;
        }

        /// <summary>
        /// Sets the module up: the working mode, QR decoding on, a CR after every code, no protocol wrapping.
        /// Blocks for at most a few seconds (each command: <see cref="ScannerSettings.Attempts"/> x
        /// <see cref="ScannerSettings.ReplyTimeoutMs"/>). Never throws for a silent or refusing module: the
        /// answer is in <see cref="Status"/> and <see cref="StatusMessage"/>.
        /// </summary>
        public ScannerStatus Configure(ScannerMode mode)
        {
            Mode = mode;
            SavedToFlash = false;
            _anyReply = false;
            _framer.Reset();
            _framer.SuffixRequired = false;
            _rxLength = 0;
            _rxPosition = 0;

            int modeBits = mode == ScannerMode.Continuous ? Gm65Zones.ModeContinuous : Gm65Zones.ModeCommand;
            bool changed = false;
            int step = Update(Gm65Zones.Settings, Gm65Zones.ModeMask, modeBits, ref changed);
            if (step == StepOk)
            {
                step = Update(Gm65Zones.QrCode, Gm65Zones.QrEnable, Gm65Zones.QrEnable, ref changed);
            }

            if (step == StepOk)
            {
                int mask = Gm65Zones.OutputProtocol | Gm65Zones.TailMask | Gm65Zones.TailEnable;
                step = Update(Gm65Zones.Output, mask, Gm65Zones.TailCr | Gm65Zones.TailEnable, ref changed);
            }

            if (step == StepOk && changed)
            {
                step = Expect(Exchange(new SaveZoneBits()), 0);
                SavedToFlash = step == StepOk;
            }

            if (step == StepOk)
            {
                _framer.SuffixRequired = true;
                SetStatus(ScannerStatus.Ready, mode == ScannerMode.Continuous
                    ? "Scanner ready (continuous)"
                    : "Scanner ready");
            }

            _framer.Reset();
            return Status;
        }

        /// <summary>
        /// Starts one scan (command-triggered mode). Does not wait: the module's ACK and then the code arrive
        /// through <see cref="Poll"/>, which strips the ACK.
        /// </summary>
        public void Trigger()
        {
            _port.Write(_trigger, 0, _trigger.Length);
            _triggeredSinceBegin = true;
        }

        /// <summary>
        /// Reads what the module sent (waiting at most <paramref name="timeoutMs"/> when nothing is buffered)
        /// and returns the first thing completed. On <see cref="ScanOutcome.Code"/> the code is in
        /// <see cref="Code"/>; bytes after it stay buffered for the next call, so call again promptly.
        /// </summary>
        public ScanOutcome Poll(int timeoutMs)
        {
            if (_rxPosition >= _rxLength)
            {
                _rxPosition = 0;
                _rxLength = _port.Read(_rx, 0, _rx.Length, timeoutMs);
                _rxTime = _clock();
                if (_rxLength <= 0)
                {
                    _rxLength = 0;
                    return Judge(_framer.Flush(_rxTime));
                }
            }

            while (_rxPosition < _rxLength)
            {
                int replies = _framer.RepliesStripped;
                ScanOutcome outcome = _framer.Feed(_rx[_rxPosition++], _rxTime);
                if (_framer.RepliesStripped != replies && _triggeredSinceBegin)
                {
                    _awaitingTriggerAck = false;
                }

                if (outcome != ScanOutcome.None)
                {
                    return Judge(outcome);
                }
            }

            return ScanOutcome.None;
        }

        // What the framer completed, unless it was read for an earlier request (see BeginScan).
        private ScanOutcome Judge(ScanOutcome outcome)
        {
            if (outcome == ScanOutcome.None || (outcome != ScanOutcome.Stale && !_awaitingTriggerAck))
            {
                return outcome;
            }

            if (outcome == ScanOutcome.Code)
            {
                // Not this request's code: reading it again for this request must count.
                _framer.ForgetLastCode();
            }

            StaleLines++;
            return ScanOutcome.Stale;
        }

        // Outcomes of one configuration step.
        private const int StepOk = 0;
        private const int StepSilent = 1;
        private const int StepFailed = 2;

        // Read-modify-write of the bits in mask: reads the zone, writes it back only if the bits differ.
        private int Update(int zone, int mask, int bits, ref bool changed)
        {
            int step = Expect(Exchange(new ReadZoneBits(zone, 1)), zone);
            if (step != StepOk)
            {
                return step;
            }

            if (_reply.DataLength != 1)
            {
                return Fail("Scanner sent a malformed reply for setting " + Hex4(zone));
            }

            int current = _reply.DataAt(0);
            int wanted = (current & ~mask) | bits;
            if (wanted == current)
            {
                return StepOk;
            }

            step = Expect(Exchange(new WriteZoneBits(zone, (byte)wanted)), zone);
            if (step == StepOk && !_reply.IsAck)
            {
                return Fail("Scanner sent an unexpected reply for setting " + Hex4(zone));
            }

            changed |= step == StepOk;
            return step;
        }

        private int Expect(Gm65ReplyResult result, int zone)
        {
            if (result == Gm65ReplyResult.Reply)
            {
                if (_reply.Status == Gm65Protocol.StatusOk)
                {
                    return StepOk;
                }

                return Fail("Scanner refused setting " + Hex4(zone) + " (status " + _reply.Status + ")");
            }

            if (_anyReply)
            {
                return Fail("Scanner did not confirm setting " + Hex4(zone));
            }

            SetStatus(ScannerStatus.NotResponding, "Scanner not responding: check its cable, 5 V power and 9600 baud");
            return StepSilent;
        }

        // Sends one command until a reply with a good CRC arrives or the attempts run out. Stale input is
        // dropped first so that an old reply cannot answer this command.
        private Gm65ReplyResult Exchange(IGm65Command command)
        {
            int length = command.WriteTo(_tx, 0);
            for (int attempt = 0; attempt < _attempts; attempt++)
            {
                Drain();
                _reply.Reset();
                _port.Write(_tx, 0, length);
                long deadline = _clock() + _replyTimeoutMs;
                long now = _clock();
                while (now < deadline)
                {
                    int n = _port.Read(_rx, 0, _rx.Length, (int)(deadline - now));
                    for (int i = 0; i < n; i++)
                    {
                        if (_reply.Feed(_rx[i]) == Gm65ReplyResult.Reply)
                        {
                            _anyReply = true;
                            return Gm65ReplyResult.Reply;
                        }
                    }

                    now = _clock();
                }
            }

            return Gm65ReplyResult.None;
        }

        // Bounded: a module streaming continuous-mode data must not keep the driver here.
        private void Drain()
        {
            for (int i = 0; i < 16 && _port.Read(_rx, 0, _rx.Length, 0) > 0; i++)
            {
            }
        }

        private int Fail(string message)
        {
            SetStatus(ScannerStatus.ConfigurationFailed, message);
            return StepFailed;
        }

        private void SetStatus(ScannerStatus status, string message)
        {
            Status = status;
            StatusMessage = message;
        }

        private static string Hex4(int value)
        {
            return "0x" + value.ToString("X4");
        }
    }
}
