using System.Threading;
using Terminal.Drivers.Ports;

namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// The terminal's end of the host link (docs/host-link.md): reads request lines from a cash register or
    /// vending controller, answers each one, and sends events. <see cref="Poll"/> runs on one thread (the
    /// host-link loop); the Send* methods may be called from any thread: lines are written whole under a
    /// lock and never interleave.
    /// <para>
    /// Never blocks the payment: a failing write (controller unplugged) is counted and dropped, a sale goes
    /// on, and its result stays available to LAST from the app's journal. Garbage, overlong lines and bad
    /// checksums are answered with an error and change nothing. After construction the steady state (reads,
    /// rejected lines, events) allocates nothing; strings are made only for valid transaction commands and
    /// for texts the app passes in.
    /// </para>
    /// </summary>
    public sealed class HostLinkServer
    {
        private const int ChunkSize = 64;

        private readonly ISerialPort _port;
        private readonly IHostLinkHandler _handler;
        private readonly byte[] _rx = new byte[ChunkSize];
        private readonly LineAssembler _lines = new LineAssembler();
        private readonly HostLinkRequestParser _parser = new HostLinkRequestParser();
        private readonly HostLinkRequest _request = new HostLinkRequest();

        // Guards _writer, _sequence, the port writes and the reply cache.
        private readonly object _txLock = new object();
        private readonly HostLinkLineWriter _writer = new HostLinkLineWriter();
        private int _sequence;

        // The last state-changing request and its reply: a controller that lost the reply resends the same
        // line and gets the same answer, without the sale starting twice.
        private readonly byte[] _cachedRequest = new byte[HostLinkProtocol.MaxLineLength];
        private readonly byte[] _cachedReply = new byte[HostLinkProtocol.MaxLineLength];
        private int _cachedRequestLength;
        private int _cachedReplyLength;
        private byte[] _currentLine;
        private int _currentLineLength;
        private bool _cacheReply;

        // Guards _saleOpen only; never held while calling out.
        private readonly object _stateLock = new object();
        private bool _saleOpen;

        /// <summary>Creates the host link; nothing is sent until the first event or request.</summary>
        public HostLinkServer(ISerialPort port, IHostLinkHandler handler)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            if (handler == null)
            {
                throw new System.ArgumentNullException("handler");
            }

            _port = port;
            _handler = handler;
        }

        /// <summary>True from an accepted SALE until its RESULT is sent; a second SALE meanwhile gets ERR BUSY.</summary>
        public bool SaleOpen
        {
            get
            {
                Monitor.Enter(_stateLock);
                try
                {
                    return _saleOpen;
                }
                finally
                {
                    Monitor.Exit(_stateLock);
                }
            }
        }

        /// <summary>Request lines answered (valid or not).</summary>
        public int LinesAnswered { get; private set; }

        /// <summary>Request lines rejected (checksum, syntax, too long...).</summary>
        public int LinesRejected { get; private set; }

        /// <summary>Lines that could not be written (port gone); they are dropped, never retried.</summary>
        public int WriteFailures { get; private set; }

        /// <summary>Reads that threw (port gone); Poll returns 0 then.</summary>
        public int ReadFailures { get; private set; }

        /// <summary>Sequence number of the last event sent (0 before the first).</summary>
        public int LastSequence
        {
            get { return _sequence; }
        }

        /// <summary>
        /// Reads what the controller sent (waiting at most <paramref name="timeoutMs"/>), answers every complete
        /// line and returns how many it answered. Never throws for anything on the wire or a failing port.
        /// </summary>
        public int Poll(int timeoutMs)
        {
            int count;
            try
            {
                count = _port.Read(_rx, 0, _rx.Length, timeoutMs);
            }
            catch (System.Exception)
            {
                ReadFailures++;
                return 0;
            }

            int answered = 0;
            for (int i = 0; i < count; i++)
            {
                LineResult result = _lines.Feed(_rx[i]);
                if (result == LineResult.Line)
                {
                    Handle(_lines.Buffer, _lines.Length);
                    answered++;
                }
                else if (result == LineResult.TooLong)
                {
                    LinesRejected++;
                    ReplyError(HostLinkProtocol.UntrustedId, HostLinkError.TooLong, "line longer than 256 bytes");
                    answered++;
                }
            }

            LinesAnswered += answered;
            return answered;
        }

        /// <summary>MPM: the order QR code is on the screen; <paramref name="qrText"/> is its content (or '-' if it does not fit a line).</summary>
        public void SendShowQr(string reference, string qrText)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginEvent(NextSequence()).Word("SHOW_QR").Word(reference);
                if (_writer.Fits(qrText))
                {
                    _writer.Text(qrText);
                }
                else
                {
                    _writer.Word("-");
                }

                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        /// <summary>The terminal waits for the customer (to scan the QR code, or to show the payment code).</summary>
        public void SendWaitingForCustomer(string reference)
        {
            SendEvent("WAITING_FOR_CUSTOMER", reference, null);
        }

        /// <summary>The payment is with Antom (code scanned or order paid; waiting for the final status).</summary>
        public void SendProcessing(string reference)
        {
            SendEvent("PROCESSING", reference, null);
        }

        /// <summary>A transaction came to its final status. For a sale this also ends <see cref="SaleOpen"/>.</summary>
        public void SendResult(HostLinkResult result)
        {
            if (result == null)
            {
                throw new System.ArgumentNullException("result");
            }

            if (result.Kind == HostLinkKind.Sale)
            {
                SetSaleOpen(false);
            }

            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginEvent(NextSequence()).Word("RESULT");
                AppendResult(result);
                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        /// <summary>
        /// A transaction announced as NEEDS_REVIEW got its final status from the gateway (docs/fleet-link.md,
        /// "Resolutions"): the RESULT fields again, with the status the journal now holds.
        /// </summary>
        public void SendResolved(HostLinkResult result)
        {
            if (result == null)
            {
                throw new System.ArgumentNullException("result");
            }

            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginEvent(NextSequence()).Word("RESOLVED");
                AppendResult(result);
                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        /// <summary>A transaction was flagged for manual review (e.g. a cancel Antom never confirmed).</summary>
        public void SendNeedsReview(string reference, string reason)
        {
            SendEvent("NEEDS_REVIEW", reference, reason);
        }

        /// <summary>
        /// A device condition, e.g. <c>SendDeviceStatus("SCANNER", "NOT_RESPONDING", scanner.StatusMessage)</c>
        /// or <c>("TERMINAL", "STARTED", version)</c> at boot.
        /// </summary>
        public void SendDeviceStatus(string component, string state, string text)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginEvent(NextSequence()).Word("DEVICE").Word(component).Word(state).Text(text);
                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void Handle(byte[] line, int length)
        {
            HostLinkError error = _parser.Parse(line, length, _request);
            if (error != HostLinkError.None)
            {
                LinesRejected++;
                ReplyError(_request.Id, error, _parser.ErrorText);
                return;
            }

            HostLinkCommand command = _request.Command;
            bool changesState = command == HostLinkCommand.Sale || command == HostLinkCommand.Abort
                || command == HostLinkCommand.Refund || command == HostLinkCommand.Void;
            if (changesState && ResendCachedReply(line, length))
            {
                return;
            }

            _currentLine = line;
            _currentLineLength = length;
            _cacheReply = changesState;
            try
            {
                Dispatch(_request);
            }
            catch (System.Exception e)
            {
                ReplyError(_request.Id, HostLinkError.Internal, e.Message);
            }
            finally
            {
                _cacheReply = false;
                _currentLine = null;
            }
        }

        private void Dispatch(HostLinkRequest request)
        {
            int id = request.Id;
            string detail = null;
            switch (request.Command)
            {
                case HostLinkCommand.Ping:
                    Reply(id, "PING", HostLinkProtocol.Version);
                    return;

                case HostLinkCommand.Sale:
                    if (!TryOpenSale())
                    {
                        ReplyError(id, HostLinkError.Busy, "a sale is in progress");
                        return;
                    }

                    HostLinkAnswer answer = HostLinkAnswer.Refused;
                    try
                    {
                        answer = _handler.StartSale(request.AmountMinor, request.Currency, request.Mode, request.Reference, out detail);
                    }
                    finally
                    {
                        if (answer != HostLinkAnswer.Accepted)
                        {
                            SetSaleOpen(false);
                        }
                    }

                    Answer(id, "SALE", request.Reference, answer, detail);
                    return;

                case HostLinkCommand.Abort:
                    Answer(id, "ABORT", null, _handler.Abort(out detail), detail);
                    return;

                case HostLinkCommand.Refund:
                    Answer(id, "REFUND", null, _handler.Refund(request.Reference, request.PaymentId, request.AmountMinor, out detail), detail);
                    return;

                case HostLinkCommand.Void:
                    Answer(id, "VOID", null, _handler.Void(request.Reference, request.PaymentId, out detail), detail);
                    return;

                case HostLinkCommand.Status:
                    Reply(id, "STATUS", _handler.Status());
                    return;

                case HostLinkCommand.Last:
                    ReplyLast(id, _handler.Last());
                    return;

                case HostLinkCommand.Diag:
                    ReplyDiagnostics(id, _handler.Diagnostics());
                    return;

                default:
                    RunSelfTest(id);
                    return;
            }
        }

        private void Answer(int id, string command, string field, HostLinkAnswer answer, string detail)
        {
            switch (answer)
            {
                case HostLinkAnswer.Accepted:
                    Reply(id, command, field);
                    return;
                case HostLinkAnswer.Busy:
                    ReplyError(id, HostLinkError.Busy, detail == null ? "another transaction is in progress" : detail);
                    return;
                case HostLinkAnswer.NoSale:
                    ReplyError(id, HostLinkError.NoSale, detail == null ? "no sale in progress" : detail);
                    return;
                case HostLinkAnswer.NotFound:
                    ReplyError(id, HostLinkError.NotFound, detail == null ? "no such transaction" : detail);
                    return;
                default:
                    ReplyError(id, HostLinkError.Refused, detail == null ? "not possible now" : detail);
                    return;
            }
        }

        private void ReplyLast(int id, HostLinkResult last)
        {
            if (last == null)
            {
                ReplyError(id, HostLinkError.NoTransaction, "no transaction yet");
                return;
            }

            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("OK").Word("LAST");
                AppendResult(last);
                WriteReply();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void ReplyDiagnostics(int id, string[] lines)
        {
            int count = lines == null ? 0 : lines.Length;
            Info(id, "hostlink " + HostLinkProtocol.Version + " answered=" + LinesAnswered + " rejected=" + LinesRejected
                + " writeFailures=" + WriteFailures + " readFailures=" + ReadFailures + " lastEvent=" + _sequence);
            for (int i = 0; i < count; i++)
            {
                Info(id, lines[i]);
            }

            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("OK").Word("DIAG").Number(count + 1);
                WriteReply();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void RunSelfTest(int id)
        {
            if (SaleOpen || _handler.IsBusy)
            {
                ReplyError(id, HostLinkError.Busy, "self-test only when idle");
                return;
            }

            int passed;
            int failed;
            _handler.SelfTest(delegate(string line) { Info(id, line); }, out passed, out failed);
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("OK").Word("SELFTEST").Number(passed).Number(failed);
                WriteReply();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void AppendResult(HostLinkResult result)
        {
            _writer.Word(HostLinkResult.KindWord(result.Kind))
                .Word(result.Reference)
                .Word(HostLinkResult.OutcomeWord(result.Outcome))
                .Number(result.AmountMinor)
                .Word(result.Currency)
                .Word(result.PaymentId)
                .Word(result.ReasonCode)
                .Text(result.Message);
        }

        private void SendEvent(string name, string reference, string text)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginEvent(NextSequence()).Word(name).Word(reference).Text(text);
                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void Reply(int id, string command, string field)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("OK").Word(command).Text(field);
                WriteReply();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void Info(int id, string text)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("INFO").Text(text);
                WriteLine();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        private void ReplyError(int id, HostLinkError error, string text)
        {
            Monitor.Enter(_txLock);
            try
            {
                _writer.BeginReply(id).Word("ERR").Word(HostLinkErrors.Word(error)).Text(text);
                WriteReply();
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        // Under _txLock: the final line of an answer; cached when it answers a state-changing request.
        private void WriteReply()
        {
            _writer.Finish();
            if (_cacheReply && _currentLine != null)
            {
                System.Array.Copy(_currentLine, _cachedRequest, _currentLineLength);
                _cachedRequestLength = _currentLineLength;
                System.Array.Copy(_writer.Buffer, _cachedReply, _writer.Length);
                _cachedReplyLength = _writer.Length;
            }

            Write(_writer.Buffer, _writer.Length);
        }

        // Under _txLock.
        private void WriteLine()
        {
            _writer.Finish();
            Write(_writer.Buffer, _writer.Length);
        }

        private void Write(byte[] buffer, int length)
        {
            try
            {
                _port.Write(buffer, 0, length);
            }
            catch (System.Exception)
            {
                WriteFailures++;
            }
        }

        private bool ResendCachedReply(byte[] line, int length)
        {
            Monitor.Enter(_txLock);
            try
            {
                if (length != _cachedRequestLength || _cachedReplyLength == 0)
                {
                    return false;
                }

                for (int i = 0; i < length; i++)
                {
                    if (line[i] != _cachedRequest[i])
                    {
                        return false;
                    }
                }

                Write(_cachedReply, _cachedReplyLength);
                return true;
            }
            finally
            {
                Monitor.Exit(_txLock);
            }
        }

        // Under _txLock. 1..999999999, then 1 again.
        private int NextSequence()
        {
            _sequence = _sequence >= HostLinkProtocol.MaxId ? 1 : _sequence + 1;
            return _sequence;
        }

        private bool TryOpenSale()
        {
            Monitor.Enter(_stateLock);
            try
            {
                if (_saleOpen)
                {
                    return false;
                }

                _saleOpen = true;
                return true;
            }
            finally
            {
                Monitor.Exit(_stateLock);
            }
        }

        private void SetSaleOpen(bool open)
        {
            Monitor.Enter(_stateLock);
            try
            {
                _saleOpen = open;
            }
            finally
            {
                Monitor.Exit(_stateLock);
            }
        }
    }
}
