using Terminal.Core.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Vending.Pulse
{
    /// <summary>
    /// The vend channel of a coin-op machine (docs/vending.md section 4): a paid vend's credit as pulses on the
    /// GPIO, one per pulse value, each journaled before it goes out. Runs on the desk's worker after the payment
    /// (no payment polling runs then; the main loop never waits for it).
    /// </summary>
    public sealed class PulseCredit : IVendChannel
    {
        private readonly VendingSection _config;
        private readonly PulseOutput _output;
        private readonly ILog _log;
        private readonly LedgerJournal _journal = new LedgerJournal();

        public PulseCredit(VendingSection config, PulseOutput output, ILog log)
        {
            if (config == null || output == null)
            {
                throw new System.ArgumentNullException(config == null ? "config" : "output");
            }

            _config = config;
            _output = output;
            _log = log;
            output.Release();
        }

        /// <summary>Pulses sent since start-up.</summary>
        public long PulsesSent
        {
            get { return _output.Sent; }
        }

        /// <summary>
        /// Worker: credits the vend in hand. Pulse N is journaled before it goes out, so after a power cut the
        /// journal's count includes the pulse that was in flight: "resume" sends the rest (that one pulse may be
        /// lost, none is doubled), "review" sends nothing more and flags the sale. A credit whose first pulse was
        /// never journaled is simply sent.
        /// </summary>
        public void Settle(VendLedger ledger, bool afterRestart)
        {
            VendState state = ledger.State;
            if (state != VendState.CreditDue && state != VendState.Delivering)
            {
                ledger.Review("a pulse credit cannot continue from " + StateName(state));
                return;
            }

            bool interrupted = state == VendState.Delivering;
            if (interrupted && _config.AfterPowerCut == VendingSection.Review)
            {
                ledger.Review("power cut during the credit after " + ledger.CreditDone + " of " + ledger.CreditUnits + " pulses");
                return;
            }

            int due = ledger.CreditUnits;
            int first = ledger.CreditDone + 1;
            if (interrupted)
            {
                Log(LogLevel.Warning, "vending: resuming credit of vend " + ledger.Number + " at pulse " + first + " of " + due);
            }

            _journal.Use(ledger, interrupted);
            int sent = first > due ? due : _output.Send(first, due, _journal);
            if (sent < due)
            {
                Log(LogLevel.Error, "vending: credit of vend " + ledger.Number + " stopped after " + sent + " of " + due + " pulses (journal not written)");
                return;
            }

            ledger.Vended(interrupted);
        }

        private static string StateName(VendState state)
        {
            return state == VendState.Approved ? "an MDB approval" : state == VendState.Refunding ? "a refund" : "this state";
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }

        /// <summary>Journals each pulse before the output sends it.</summary>
        private sealed class LedgerJournal : IPulseJournal
        {
            private VendLedger _ledger;
            private bool _resumed;

            public void Use(VendLedger ledger, bool resumed)
            {
                _ledger = ledger;
                _resumed = resumed;
            }

            public bool BeforePulse(int number)
            {
                return _ledger.RecordPulse(number, _resumed);
            }
        }
    }
}
