using System;
using Terminal.Core.Ports;

namespace Terminal.Transactions
{
    /// <summary>
    /// The desk's subscribers in the order they subscribed. Filled while the terminal is composed, before the
    /// desk starts; read without a lock afterwards. A subscriber that throws is logged and skipped for that
    /// event, so a failing printer never keeps a result from the host link.
    /// </summary>
    internal sealed class DeskSubscribers
    {
        private const int Capacity = 12;

        private readonly IResultSubscriber[] _results = new IResultSubscriber[Capacity];
        private readonly IProgressSubscriber[] _progress = new IProgressSubscriber[Capacity];
        private readonly IResolutionSubscriber[] _resolutions = new IResolutionSubscriber[Capacity];
        private readonly ILog _log;
        private int _resultCount;
        private int _progressCount;
        private int _resolutionCount;

        public DeskSubscribers(ILog log)
        {
            _log = log;
        }

        public void Add(IResultSubscriber subscriber)
        {
            if (subscriber == null)
            {
                throw new ArgumentNullException("subscriber");
            }

            if (_resultCount == Capacity)
            {
                throw new InvalidOperationException("at most " + Capacity + " result subscribers");
            }

            _results[_resultCount++] = subscriber;
        }

        public void Add(IProgressSubscriber subscriber)
        {
            if (subscriber == null)
            {
                throw new ArgumentNullException("subscriber");
            }

            if (_progressCount == Capacity)
            {
                throw new InvalidOperationException("at most " + Capacity + " progress subscribers");
            }

            _progress[_progressCount++] = subscriber;
        }

        public void Add(IResolutionSubscriber subscriber)
        {
            if (subscriber == null)
            {
                throw new ArgumentNullException("subscriber");
            }

            if (_resolutionCount == Capacity)
            {
                throw new InvalidOperationException("at most " + Capacity + " resolution subscribers");
            }

            _resolutions[_resolutionCount++] = subscriber;
        }

        public void Resolved(DeskResult resolved)
        {
            for (int i = 0; i < _resolutionCount; i++)
            {
                try
                {
                    _resolutions[i].OnResolved(resolved);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void Result(DeskResult result)
        {
            for (int i = 0; i < _resultCount; i++)
            {
                try
                {
                    _results[i].OnResult(result);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void Accepted(TransactionJob job)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnAccepted(job);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void WaitingForCustomer(TransactionJob job, string reference)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnWaitingForCustomer(job, reference);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void CodeRefused(TransactionJob job, string problem)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnCodeRefused(job, problem);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void CodeRead(TransactionJob job)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnCodeRead(job);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void Processing(TransactionJob job, string reference)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnProcessing(job, reference);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void ShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnShowQr(job, reference, codeValue, offset, count, amountMinor, currency, expiresInMs);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        public void Cancelling(TransactionJob job)
        {
            for (int i = 0; i < _progressCount; i++)
            {
                try
                {
                    _progress[i].OnCancelling(job);
                }
                catch (Exception e)
                {
                    Failed(e);
                }
            }
        }

        private void Failed(Exception e)
        {
            if (_log != null)
            {
                _log.Write(LogLevel.Error, "desk: subscriber fault " + e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
