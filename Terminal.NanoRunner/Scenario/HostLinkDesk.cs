using Terminal.Firmware.HostLink;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// What the host link asks of the terminal, over the payment engine: requests are only noted (handlers must
    /// return at once) and <see cref="RunPending"/> then runs the noted sale, refund or void on the engine, its
    /// events going out on the line. Order-code sales only: the runner has no scanner.
    /// </summary>
    public sealed class HostLinkDesk : IHostLinkHandler
    {
        private const int JobNone = 0;
        private const int JobSale = 1;
        private const int JobRefund = 2;
        private const int JobVoid = 3;

        private readonly ScenarioRig _rig;
        private int _job;
        private string _reference;
        private long _amount;

        public HostLinkDesk(ScenarioRig rig)
        {
            _rig = rig;
        }

        public bool IsBusy
        {
            get { return _job != JobNone; }
        }

        /// <summary>Runs the noted transaction to its end; false when nothing was noted.</summary>
        public bool RunPending(HostLinkServer hostLink)
        {
            if (_job == JobNone)
            {
                return false;
            }

            ScenarioEvents events = _rig.Events;
            events.HostLink = hostLink;
            events.HostLinkReference = _reference;
            events.HostLinkSale = _job == JobSale;
            try
            {
                if (_job == JobSale)
                {
                    _rig.Sale(TransactionKind.SaleOrderCode, _amount, _reference, null);
                }
                else if (_job == JobRefund)
                {
                    _rig.Engine.Refund(_reference, _amount);
                }
                else
                {
                    _rig.Engine.Void(_reference);
                }
            }
            finally
            {
                events.HostLink = null;
                events.HostLinkReference = null;
                events.HostLinkSale = false;
                _job = JobNone;
            }

            return true;
        }

        public HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
        {
            detail = null;
            if (IsBusy)
            {
                return HostLinkAnswer.Busy;
            }

            if (mode != HostLinkSaleMode.Mpm || currency != _rig.Config.Engine.Currency)
            {
                detail = "only MPM sales in " + _rig.Config.Engine.Currency + " here";
                return HostLinkAnswer.Refused;
            }

            return Note(JobSale, reference, amountMinor);
        }

        public HostLinkAnswer Abort(out string detail)
        {
            detail = null;
            return HostLinkAnswer.NoSale;
        }

        public HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
        {
            return AfterSale(JobRefund, reference, amountMinor, out detail);
        }

        public HostLinkAnswer Void(string reference, string paymentId, out string detail)
        {
            return AfterSale(JobVoid, reference, 0, out detail);
        }

        public string Status()
        {
            return _job == JobNone ? "IDLE" : "BUSY " + _reference;
        }

        public HostLinkResult Last()
        {
            PaymentResult last = _rig.Engine.Last();
            return last == null ? null : StepText.ToHostLink(last);
        }

        public string[] Diagnostics()
        {
            return new string[] { "terminal " + ScenarioRig.DeviceId };
        }

        public void SelfTest(HostLinkInfoWriter info, out int passed, out int failed)
        {
            Terminal.Firmware.Diagnostics.SelfTest.RunForHostLink(info, out passed, out failed);
        }

        private HostLinkAnswer AfterSale(int job, string reference, long amountMinor, out string detail)
        {
            detail = null;
            if (IsBusy)
            {
                return HostLinkAnswer.Busy;
            }

            if (reference == null || _rig.Engine.FindByReference(reference) == null)
            {
                return HostLinkAnswer.NotFound;
            }

            return Note(job, reference, amountMinor);
        }

        private HostLinkAnswer Note(int job, string reference, long amountMinor)
        {
            _job = job;
            _reference = reference;
            _amount = amountMinor;
            return HostLinkAnswer.Accepted;
        }
    }
}
