namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// Pure framer of the decoded-data stream a scanner module sends: bytes in (with the time they arrived),
    /// whole codes out. A code ends at CR, LF, CR LF or TAB, or after <see cref="ScannerSettings.IdleGapMs"/>
    /// of silence. A module reply (<c>02 00 ...</c>, such as the ACK that precedes triggered data) at a code
    /// boundary is checked and stripped. Rejects too-short noise, non-printable bytes and overlong input, and
    /// reports a code repeated within <see cref="ScannerSettings.DuplicateWindowMs"/> once.
    /// <para>
    /// Guarantees: state is a few scalars and three fixed buffers allocated in the constructor; Feed and Flush
    /// allocate nothing; each Feed completes at most one thing, so the result never hides a second one.
    /// </para>
    /// </summary>
    public sealed class CodeFramer
    {
        private const byte Cr = 0x0D;
        private const byte Lf = 0x0A;
        private const byte Tab = 0x09;

        // Longest module reply stripped in the data stream; the trigger ACK has one data byte.
        private const int MaxStrippedReplyData = 16;

        private readonly int _minLength;
        private readonly int _idleGapMs;
        private readonly int _duplicateWindowMs;

        // The code being assembled.
        private readonly byte[] _work;
        private int _workLength;

        // Every byte since the last boundary, kept or not (decides noise vs. a real rejection).
        private int _rawCount;
        private bool _binary;
        private bool _overflow;
        private bool _afterCr;
        private long _lastByteMs;

        // The line being received began before the current request: it ends as Stale.
        private bool _staleLine;

        private readonly Gm65ReplyParser _reply;
        private bool _inReply;
        private int _replyBytes;

        // The last code handed out: what Code exposes, and the reference for duplicates.
        private readonly byte[] _last;
        private int _lastLength;
        private long _lastMs;

        /// <summary>Creates a framer with the limits in <paramref name="settings"/> (validated).</summary>
        public CodeFramer(ScannerSettings settings)
        {
            if (settings == null)
            {
                throw new System.ArgumentNullException("settings");
            }

            settings.Validate();
            _minLength = settings.MinCodeLength;
            _idleGapMs = settings.IdleGapMs;
            _duplicateWindowMs = settings.DuplicateWindowMs;
            _work = new byte[settings.MaxCodeLength];
            _last = new byte[settings.MaxCodeLength];
            _reply = new Gm65ReplyParser(MaxStrippedReplyData);
        }

        /// <summary>
        /// True once the module is known to end every code with a tail (CR): a code ended only by silence is
        /// then cut off and reported as <see cref="ScanOutcome.Partial"/>. False accepts silence as the end.
        /// </summary>
        public bool SuffixRequired { get; set; }

        /// <summary>
        /// The driver-owned buffer holding the last code handed out, in bytes [0, <see cref="CodeLength"/>).
        /// It changes only when Feed or Flush returns <see cref="ScanOutcome.Code"/> again.
        /// </summary>
        public byte[] Code
        {
            get { return _last; }
        }

        /// <summary>Length of the last code handed out; 0 before the first.</summary>
        public int CodeLength
        {
            get { return _lastLength; }
        }

        /// <summary>
        /// Module replies recognised and stripped from the data stream (trigger ACKs), not counting one that had
        /// begun before the last <see cref="DropLineInProgress"/>.
        /// </summary>
        public int RepliesStripped { get; private set; }

        /// <summary>The last code as a string (allocates; call it once per code handed out).</summary>
        public string CodeToString()
        {
            char[] chars = new char[_lastLength];
            for (int i = 0; i < _lastLength; i++)
            {
                chars[i] = (char)_last[i];
            }

            return new string(chars);
        }

        /// <summary>Drops partial input and forgets the last code, so the next read of it counts as new.</summary>
        public void Reset()
        {
            ClearPending();
            _staleLine = false;
            _inReply = false;
            _reply.Reset();
            _afterCr = false;
            ForgetLastCode();
        }

        /// <summary>
        /// The caller starts listening for a new request now: the line (code or module reply) being received began
        /// before, so when it ends it is reported as <see cref="ScanOutcome.Stale"/> (a reply is not counted),
        /// however it ends. Nothing changes between lines.
        /// </summary>
        public void DropLineInProgress()
        {
            _staleLine = _inReply || _rawCount > 0;
        }

        /// <summary>Forgets the last code for duplicate detection (e.g. when a new sale starts).</summary>
        public void ForgetLastCode()
        {
            _lastLength = 0;
        }

        /// <summary>
        /// Feeds one byte that arrived at <paramref name="nowMs"/> (monotonic milliseconds, never decreasing
        /// within a stream). Returns what it completed.
        /// </summary>
        public ScanOutcome Feed(byte value, long nowMs)
        {
            // Silence since the previous byte ends whatever was pending before this byte counts.
            ScanOutcome outcome = Flush(nowMs);
            _lastByteMs = nowMs;

            if (_inReply)
            {
                Gm65ReplyResult r = _reply.Feed(value);
                _replyBytes++;
                if (r == Gm65ReplyResult.None)
                {
                    return outcome;
                }

                _inReply = false;
                if (r == Gm65ReplyResult.Reply)
                {
                    if (!_staleLine)
                    {
                        RepliesStripped++;
                    }

                    _staleLine = false;
                    return outcome;
                }

                // Not a good reply: what came so far is garbage within a code, and this byte is examined
                // below (it may be the terminator that ends that garbage).
                _binary = true;
                _rawCount += _replyBytes;
                if (r != Gm65ReplyResult.NotAReply)
                {
                    return outcome;
                }

                _rawCount--;
            }

            if (value == Cr || value == Tab || value == Lf)
            {
                bool swallow = value == Lf && _afterCr;
                _afterCr = value == Cr;
                if (!swallow && _rawCount > 0)
                {
                    outcome = Complete(true, nowMs);
                }

                return outcome;
            }

            _afterCr = false;
            if (value == Gm65Protocol.ReplyHead0)
            {
                // A reply only ever starts between codes; one arriving mid-code ends the code first.
                if (_rawCount > 0)
                {
                    outcome = Complete(false, nowMs);
                }

                _reply.Reset();
                _reply.Feed(value);
                _inReply = true;
                _replyBytes = 1;
                return outcome;
            }

            _rawCount++;
            if (value < 0x20 || value > 0x7E)
            {
                _binary = true;
            }
            else if (_workLength < _work.Length)
            {
                _work[_workLength++] = value;
            }
            else
            {
                _overflow = true;
            }

            return outcome;
        }

        /// <summary>
        /// Tells the framer that no byte arrived up to <paramref name="nowMs"/>: completes a code ended by the
        /// idle gap. Call it when a read times out.
        /// </summary>
        public ScanOutcome Flush(long nowMs)
        {
            if (nowMs - _lastByteMs < _idleGapMs)
            {
                return ScanOutcome.None;
            }

            if (_inReply)
            {
                // A module reply cut off by silence.
                _inReply = false;
                _reply.Reset();
                _staleLine = false;
                return ScanOutcome.Noise;
            }

            return _rawCount > 0 ? Complete(false, nowMs) : ScanOutcome.None;
        }

        private ScanOutcome Complete(bool byTail, long nowMs)
        {
            int rawCount = _rawCount;
            bool binary = _binary;
            bool overflow = _overflow;
            int length = _workLength;
            bool stale = _staleLine;
            ClearPending();
            _staleLine = false;

            if (stale)
            {
                return ScanOutcome.Stale;
            }

            if (rawCount < _minLength)
            {
                return ScanOutcome.Noise;
            }

            if (binary)
            {
                return ScanOutcome.Binary;
            }

            if (overflow)
            {
                return ScanOutcome.Overlong;
            }

            if (!byTail && SuffixRequired)
            {
                return ScanOutcome.Partial;
            }

            if (IsRepeat(length, nowMs))
            {
                _lastMs = nowMs;
                return ScanOutcome.Duplicate;
            }

            System.Array.Copy(_work, _last, length);
            _lastLength = length;
            _lastMs = nowMs;
            return ScanOutcome.Code;
        }

        private bool IsRepeat(int length, long nowMs)
        {
            if (_lastLength == 0 || length != _lastLength)
            {
                return false;
            }

            long age = nowMs - _lastMs;
            if (age < 0 || age >= _duplicateWindowMs)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (_work[i] != _last[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void ClearPending()
        {
            _workLength = 0;
            _rawCount = 0;
            _binary = false;
            _overflow = false;
        }
    }
}
