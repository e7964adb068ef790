using Terminal.Drivers.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Gateway;
using Terminal.NanoRunner.Ports;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Vending.Pulse;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// Vending on the real interpreter (docs/vending.md): a coin-op credit of three pulses cut by a power loss as
    /// the second pulse rises, resumed after boot without doubling (the pulse in flight is the one lost, and the sale
    /// says so); an MDB vend the machine reports failed after approval, refunded automatically under one request.
    /// </summary>
    public static class VendSteps
    {
        public const string PulseCustomerCode = "253917021864523079914635";
        public const string MdbCustomerCode = "253917025530741268807713";

        public static void PulseCreditResumed(ScenarioRig rig, SelfTestReport report)
        {
            CoinInput machine = new CoinInput(rig.Power, 3);
            PaymentResult paid = rig.Engine.RunSale(Vend(rig.Config.Vending.PulseValue * 3, PulseCustomerCode, 3, 0));
            Settle(rig, machine, false);
            bool cut = !rig.Power.On;
            rig.Power.Restore();
            rig.Boot();
            int recovered = rig.Engine.RecoverAll();
            Settle(rig, machine, true);

            TransactionRecord sale = Find(rig, paid.Number);
            GatewayPayment p = rig.Gateway.FindPayment(paid.RequestId);
            bool resumed = sale != null && sale.HasFlag(TransactionRecord.FlagCreditResumed);
            bool ok = cut && paid.Status == FinalStatus.Success && recovered == 0 && sale != null && sale.Vend == VendState.Vended
                && sale.CreditDone == 3 && resumed && machine.Counted == 2 && p != null && p.Pays == 1 && !rig.Engine.Vends.Next();
            report.Check("pulse vend cut as pulse 2 rose: " + StepText.Result(paid) + ", machine counted " + machine.Counted + " of 3 pulses, vend "
                + (sale == null ? "lost" : StateText(sale.Vend)) + (resumed ? " (credit resumed)" : string.Empty) + ", " + SaleSteps.Calls(p), ok,
                "expected the credit resumed after pulse 2 without doubling: 2 of 3 counted, the sale marked resumed, one pay");
        }

        public static void MdbFailureRefunded(ScenarioRig rig, SelfTestReport report)
        {
            PaymentResult paid = rig.Engine.RunSale(Vend(150, MdbCustomerCode, 0, 12));
            VendLedger ledger = rig.Engine.Vends;
            bool approved = ledger.Next() && ledger.Item == 12 && ledger.Approve();

            // The machine answers VEND FAILURE: the channel refunds.
            PaymentResult refund = ledger.Refund();
            TransactionRecord sale = Find(rig, paid.Number);
            GatewayPayment p = rig.Gateway.FindPayment(paid.RequestId);
            GatewayRefund g = refund == null ? null : rig.Gateway.FindRefund(refund.RequestId);
            bool ok = approved && refund != null && refund.Status == FinalStatus.Success && p != null && p.Refunded == 150 && g != null
                && g.Submits == 1 && sale != null && sale.Vend == VendState.Refunded && !ledger.Next();
            report.Check("mdb vend failed after approval: " + StepText.Result(paid) + ", refund " + (refund == null ? "none" : StepText.Result(refund))
                + ", vend " + (sale == null ? "lost" : StateText(sale.Vend)) + ", gateway refunded " + (p == null ? 0 : p.Refunded)
                + " in " + (g == null ? 0 : g.Submits) + " request(s)", ok,
                "expected the approval journaled, then the whole payment refunded once and the vend settled as refunded");
        }

        private static SaleRequest Vend(long amountMinor, string code, int pulses, int item)
        {
            SaleRequest request = new SaleRequest();
            request.Mode = TransactionKind.SalePaymentCode;
            request.AmountMinor = amountMinor;
            request.PaymentCode = code;
            request.Vend = true;
            request.CreditUnits = pulses;
            request.VendItem = item;
            return request;
        }

        private static void Settle(ScenarioRig rig, CoinInput machine, bool afterRestart)
        {
            PulseOutput output = new PulseOutput(machine, new PortTimer(rig.Clock, rig.Clock), true, rig.Config.Vending.PulseWidthMs, rig.Config.Vending.PulseGapMs);
            PulseCredit credit = new PulseCredit(rig.Config.Vending, output, rig.Log);
            VendLedger ledger = rig.Engine.Vends;
            for (int round = 0; round < 3 && ledger.Next(); round++)
            {
                credit.Settle(ledger, afterRestart);
            }
        }

        private static TransactionRecord Find(ScenarioRig rig, long number)
        {
            TransactionJournal journal = rig.Engine.Journal;
            for (int i = 0; i < journal.Count; i++)
            {
                if (journal.Get(i).Number == number)
                {
                    return journal.Get(i);
                }
            }

            return null;
        }

        private static string StateText(VendState state)
        {
            switch (state)
            {
                case VendState.Vended:
                    return "vended";
                case VendState.Refunded:
                    return "refunded";
                case VendState.Review:
                    return "for review";
                default:
                    return "open";
            }
        }

        /// <summary>
        /// A coin-op machine's coin input behind the optocoupler: a pulse counts when the line falls again. The power
        /// fails at edge <c>cutAtEdge</c>; the optocoupler goes dark with it, so a pulse in flight then never counts.
        /// </summary>
        private sealed class CoinInput : IDigitalOutput
        {
            private readonly PowerRail _power;
            private int _cutAtEdge;
            private bool _active;
            private int _edges;

            public CoinInput(PowerRail power, int cutAtEdge)
            {
                _power = power;
                _cutAtEdge = cutAtEdge;
            }

            public int Counted { get; private set; }

            public void Write(bool high)
            {
                if (!_power.On || high == _active)
                {
                    return;
                }

                _active = high;
                _edges++;
                if (_edges == _cutAtEdge)
                {
                    _cutAtEdge = 0;
                    _active = false;
                    _power.Cut();
                    return;
                }

                if (!high)
                {
                    Counted++;
                }
            }
        }
    }
}
