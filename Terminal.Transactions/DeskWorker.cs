using System;
using System.Threading;
using Terminal.Core.Ports;
using Terminal.Payments.Engine;

namespace Terminal.Transactions
{
    /// <summary>
    /// The desk's worker thread: the only thread that calls the payment engine (and, later, the only one that
    /// talks to the gateway at all, so device-link exchanges take their turn between transactions). It takes
    /// one released job at a time, runs it, and turns the engine's events into the desk's progress and results.
    /// Its top level catches, logs and carries on (docs/architecture.md section 5).
    /// </summary>
    internal sealed class DeskWorker : IPaymentEvents
    {
        private const int MaxLinkTasks = 4;

        private readonly TransactionDesk _desk;
        private readonly ILog _log;
        private readonly int _idleWaitMs;
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private readonly SaleRequest _saleRequest = new SaleRequest();
        private readonly IDeskLinkTask[] _linkTasks = new IDeskLinkTask[MaxLinkTasks];
        private int _linkTaskCount;
        private int _nextLinkTask;
        private PaymentEngine _engine;
        private DeskLink _link;
        private Thread _thread;

        // Worker thread only: the job being run (it stays the worker's even when the desk has taken the next one).
        private TransactionJob _running;
        private int _faults;
        private int _linkFaults;

        public DeskWorker(TransactionDesk desk, ILog log, int idleWaitMs)
        {
            _desk = desk;
            _log = log;
            _idleWaitMs = idleWaitMs;
        }

        /// <summary>Exceptions caught at the top level.</summary>
        public int Faults
        {
            get { return Interlocked.CompareExchange(ref _faults, 0, 0); }
        }

        /// <summary>Link tasks that threw.</summary>
        public int LinkFaults
        {
            get { return Interlocked.CompareExchange(ref _linkFaults, 0, 0); }
        }

        /// <summary>The engine whose events this worker receives (they are created together), and the link tasks' view of it.</summary>
        public void Use(PaymentEngine engine, DeskLink link)
        {
            _engine = engine;
            _link = link;
        }

        /// <summary>Adds device-link work; before <see cref="Start"/>.</summary>
        public void Add(IDeskLinkTask task)
        {
            if (task == null)
            {
                throw new ArgumentNullException("task");
            }

            if (_linkTaskCount == MaxLinkTasks)
            {
                throw new InvalidOperationException("at most " + MaxLinkTasks + " link tasks");
            }

            _linkTasks[_linkTaskCount++] = task;
        }

        public void Start()
        {
            _thread = new Thread(Loop);
            _thread.Start();
            _signal.Set();
        }

        /// <summary>A job was released (or a stop asked for): wake up now rather than at the next idle wait.</summary>
        public void Signal()
        {
            _signal.Set();
        }

        public bool Join(int waitMs)
        {
            return _thread == null || _thread.Join(waitMs);
        }

        private void Loop()
        {
            while (!_desk.Stopping)
            {
                try
                {
                    TransactionJob job = _desk.TakeJob();
                    if (job == null)
                    {
                        if (!RunLinkTask())
                        {
                            _signal.WaitOne(_idleWaitMs, false);
                        }

                        continue;
                    }

                    _running = job;
                    _desk.EndJob(job, Run(job));
                    _running = null;
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _faults);
                    Log(LogLevel.Error, "app: worker fault " + e.GetType().Name + ": " + e.Message);
                    TransactionJob failed = _running;
                    _running = null;
                    EndAfterFault(failed);
                }
            }
        }

        // Still the thread's top level: nothing may escape it (docs/architecture.md section 5).
        private void EndAfterFault(TransactionJob failed)
        {
            try
            {
                _desk.EndJobAfterFault(failed);
            }
            catch (Exception e)
            {
                Log(LogLevel.Error, "app: worker could not report a fault: " + e.GetType().Name + ": " + e.Message);
            }
        }

        /// <summary>
        /// Between transactions: runs the next link task that is due (in turn, so that one cannot starve another); false
        /// when none ran.
        /// </summary>
        private bool RunLinkTask()
        {
            for (int i = 0; i < _linkTaskCount; i++)
            {
                if (!_desk.IdleForLink())
                {
                    return false;
                }

                IDeskLinkTask task = _linkTasks[_nextLinkTask];
                _nextLinkTask = (_nextLinkTask + 1) % _linkTaskCount;
                bool ran = false;
                try
                {
                    if (task.IsDue())
                    {
                        ran = true;
                        task.Run(_link);
                    }
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _linkFaults);
                    Log(LogLevel.Error, "app: link task fault " + e.GetType().Name + ": " + e.Message);
                }

                if (ran)
                {
                    return true;
                }
            }

            return false;
        }

        private PaymentResult Run(TransactionJob job)
        {
            switch (job.Kind)
            {
                case JobKind.Recover:
                    int finished = _engine.RecoverAll();
                    Log(LogLevel.Info, "app: boot recovery finished " + finished + " transaction(s)");
                    _desk.SettleVends(true);
                    return null;

                case JobKind.Sale:
                    _saleRequest.Mode = job.Mode;
                    _saleRequest.AmountMinor = job.AmountMinor;
                    _saleRequest.Currency = job.Currency;
                    _saleRequest.Reference = job.Reference;
                    _saleRequest.PaymentCode = job.PaymentCode;
                    _saleRequest.AcceptsPaymentCode = job.EitherWay;
                    _saleRequest.Vend = job.IsVend;
                    _saleRequest.VendItem = job.VendItem;
                    _saleRequest.CreditUnits = job.CreditUnits;
                    PaymentResult sale = _engine.RunSale(_saleRequest);
                    if (job.IsVend)
                    {
                        _desk.SettleVends(false);
                    }

                    return sale;

                case JobKind.Refund:
                    return _engine.Refund(job.Reference, job.AmountMinor);

                case JobKind.Void:
                    return _engine.Void(job.Reference);

                default:
                    return null;
            }
        }

        // ---- the engine's events (worker thread, during Run) ----

        public void OnProcessing()
        {
            _desk.EngineProcessing(_running);
        }

        public void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            _desk.EngineShowQr(_running, codeValue, offset, count, amountMinor, currency, expiresInMs);
        }

        public void OnWaitingForCustomer()
        {
            _desk.EngineWaiting(_running);
        }

        public void OnCancelling()
        {
            _desk.EngineCancelling(_running);
        }

        public void OnResult(PaymentResult result)
        {
            _desk.Report(result, false);
        }

        public void OnNeedsReview(PaymentResult result)
        {
            _desk.Report(result, true);
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
