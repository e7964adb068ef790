using System.Threading;
using Terminal.Core.Ports;
using Terminal.Drivers.Printer;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Countertop.Receipts
{
    /// <summary>
    /// Prints a receipt for every journaled result and the end-of-day report, without ever holding up a payment:
    /// <see cref="OnResult"/> (the desk's worker) only notes the result; the main loop's <see cref="Poll"/> asks
    /// the printer's real-time status, and only when it is ready sends the receipt, a few bytes a pass paced at
    /// the UART's rate so that no write waits for the line, then asks the status again. A receipt the printer
    /// was not ready for, or that ran out of paper on the way, is kept as <see cref="Unprinted"/> with the reason;
    /// <see cref="Reprint"/> prints the last receipt again. Sales that succeeded get a merchant and a customer copy
    /// (<see cref="Copies"/>), every other result the merchant copy. Results that come faster than the printer prints
    /// wait in a queue of <see cref="QueueCapacity"/>; past that the oldest waiting receipt is dropped and logged.
    /// </summary>
    public sealed class ReceiptPrinter : IResultSubscriber
    {
        /// <summary>Receipts waiting to print (a paid sale's two copies take about 1.5 s at 9600 baud).</summary>
        public const int QueueCapacity = 4;

        private const int StepIdle = 0;
        private const int StepCheckBefore = 1;
        private const int StepSending = 2;
        private const int StepCheckAfter = 3;

        private readonly EscPosPrinter _printer;
        private readonly ReceiptComposer _composer;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly int _bytesPerSecond;
        private readonly EscPosWriter _writer = new EscPosWriter(ReceiptComposer.Capacity);
        private readonly DayTotals _day = new DayTotals();
        private readonly object _gate = new object();
        private readonly string _currency;

        // Filled by the worker (under _gate), taken by the main loop.
        private readonly DeskResult[] _waiting = new DeskResult[QueueCapacity];
        private int _waitingHead;
        private int _waitingCount;
        private bool _dayWaiting;

        // The main loop's.
        private DeskResult _last;
        private bool _lastIsDay;
        private int _step;
        private int _copy;
        private int _sent;
        private long _sendStart;

        public ReceiptPrinter(EscPosPrinter printer, ReceiptComposer composer, IClock clock, ILog log, int baud, int copies, string currency)
        {
            _printer = printer;
            _composer = composer;
            _clock = clock;
            _log = log;
            _bytesPerSecond = baud / 10;
            Copies = copies < 1 ? 1 : copies > 2 ? 2 : copies;
            _currency = currency;
        }

        /// <summary>Copies of a successful sale's receipt (1: the customer's only, 2: the merchant's and the customer's).</summary>
        public int Copies { get; private set; }

        /// <summary>True while the last receipt was not printed whole; <see cref="Problem"/> says why.</summary>
        public bool Unprinted { get; private set; }

        /// <summary>Why the last receipt was not printed ("out of paper"), or null.</summary>
        public string Problem { get; private set; }

        /// <summary>Receipts dropped because <see cref="QueueCapacity"/> were waiting.</summary>
        public int Dropped { get; private set; }

        /// <summary>Receipts printed whole since start.</summary>
        public int Printed { get; private set; }

        /// <summary>True while a receipt is being checked or sent.</summary>
        public bool Busy
        {
            get { return _step != StepIdle; }
        }

        /// <summary>The desk's worker: a journaled result gets a receipt (requests refused before the journal none).</summary>
        public void OnResult(DeskResult result)
        {
            if (result.Payment.Number <= 0)
            {
                return;
            }

            Monitor.Enter(_gate);
            try
            {
                Enqueue(result);
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Main loop: queues the report of the period just closed.</summary>
        public void PrintDayReport(DayTotals closed)
        {
            Monitor.Enter(_gate);
            try
            {
                _day.CopyFrom(closed);
                _dayWaiting = true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Main loop: prints the last receipt again; false when there is none.</summary>
        public bool Reprint()
        {
            if (_last == null && !_lastIsDay)
            {
                return false;
            }

            Monitor.Enter(_gate);
            try
            {
                if (_lastIsDay)
                {
                    _dayWaiting = true;
                }
                else
                {
                    Enqueue(_last);
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            return true;
        }

        /// <summary>One DIAG line: the printer's state, receipts printed, the last problem.</summary>
        public string DiagnosticLine()
        {
            return "printer " + EscPosStatus.Describe(_printer.State) + " printed=" + Printed + " dropped=" + Dropped + " bad answers=" + _printer.BadAnswers
                + (Unprinted ? " last receipt not printed: " + Problem : string.Empty);
        }

        /// <summary>Main loop: moves the receipt in hand one step on. Never waits.</summary>
        public void Poll(long nowMs)
        {
            switch (_step)
            {
                case StepIdle:
                    if (TakeWaiting())
                    {
                        _copy = 0;
                        _printer.RequestStatus(nowMs);
                        _step = StepCheckBefore;
                    }

                    return;

                case StepCheckBefore:
                    if (!_printer.PollStatus(nowMs))
                    {
                        return;
                    }

                    if (!Printable(_printer.State))
                    {
                        Fail(EscPosStatus.Describe(_printer.State));
                        return;
                    }

                    Compose(nowMs);
                    return;

                case StepSending:
                    Send(nowMs);
                    return;

                default:
                    if (!_printer.PollStatus(nowMs))
                    {
                        return;
                    }

                    if (!Printable(_printer.State))
                    {
                        Fail(EscPosStatus.Describe(_printer.State) + " while printing: reprint from the menu");
                        return;
                    }

                    if (_copy + 1 < CopiesOfLast())
                    {
                        _copy++;
                        Compose(nowMs);
                        return;
                    }

                    Unprinted = false;
                    Problem = null;
                    Printed++;
                    _step = StepIdle;
                    return;
            }
        }

        private bool TakeWaiting()
        {
            Monitor.Enter(_gate);
            try
            {
                if (_dayWaiting)
                {
                    _dayWaiting = false;
                    _lastIsDay = true;
                    return true;
                }

                if (_waitingCount > 0)
                {
                    _last = _waiting[_waitingHead];
                    _waiting[_waitingHead] = null;
                    _waitingHead = (_waitingHead + 1) % QueueCapacity;
                    _waitingCount--;
                    _lastIsDay = false;
                    return true;
                }

                return false;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Under _gate: queues a receipt, dropping the oldest waiting one when the queue is full.</summary>
        private void Enqueue(DeskResult result)
        {
            if (_waitingCount == QueueCapacity)
            {
                DeskResult dropped = _waiting[_waitingHead];
                _waitingHead = (_waitingHead + 1) % QueueCapacity;
                _waitingCount--;
                Dropped++;
                if (_log != null)
                {
                    _log.Write(LogLevel.Warning, "printer: receipt of " + dropped.Reference + " dropped: " + QueueCapacity + " receipts were waiting");
                }
            }

            _waiting[(_waitingHead + _waitingCount) % QueueCapacity] = result;
            _waitingCount++;
        }

        private int CopiesOfLast()
        {
            return !_lastIsDay && _last.Payment.Status == FinalStatus.Success && _last.Payment.Kind != TransactionKind.Refund
                && _last.Payment.Kind != TransactionKind.Void ? Copies : 1;
        }

        private void Compose(long nowMs)
        {
            _writer.Clear();
            if (_lastIsDay)
            {
                _composer.DayReport(_writer, _day, _currency, _clock.UtcNowMs());
            }
            else
            {
                // One copy of a sale is the customer's; the merchant's comes first when there are two.
                bool customer = CopiesOfLast() == 1 ? _last.Payment.Status == FinalStatus.Success && Copies == 1 : _copy == 1;
                _composer.Transaction(_writer, _last, customer, _clock.UtcNowMs());
            }

            _sent = 0;
            _sendStart = nowMs;
            _step = StepSending;
            Send(nowMs);
        }

        /// <summary>Hands the port what the UART has sent since the start, so a write never waits for the line.</summary>
        private void Send(long nowMs)
        {
            long due = ((nowMs - _sendStart + 1) * _bytesPerSecond / 1000) + 32;
            int count = (int)(due > _writer.Length ? _writer.Length : due) - _sent;
            if (count > 0)
            {
                _printer.Send(_writer.Buffer, _sent, count);
                _sent += count;
            }

            if (_sent == _writer.Length)
            {
                _printer.RequestStatus(nowMs);
                _step = StepCheckAfter;
            }
        }

        private void Fail(string problem)
        {
            Unprinted = true;
            Problem = problem;
            _step = StepIdle;
            if (_log != null)
            {
                _log.Write(LogLevel.Warning, "printer: receipt not printed: " + problem);
            }
        }

        private static bool Printable(PrinterState state)
        {
            return state == PrinterState.Ready || state == PrinterState.PaperLow;
        }
    }
}
