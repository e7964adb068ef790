using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Gateway;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The power goes while the pay is with the gateway: Antom completes the payment, the answer never arrives,
    /// and nothing the dying terminal does afterwards is kept. On the next boot the journal must still hold the
    /// sale as open, and recovery must find it paid by inquiring, never by paying again.
    /// </summary>
    public static class PowerCutStep
    {
        public const string CustomerCode = "253917020093318475526103";

        public static void Run(ScenarioRig rig, SelfTestReport report)
        {
            rig.Gateway.CutPowerAfterNextPay = true;
            rig.Sale(TransactionKind.SalePaymentCode, 3600, "R-1004", CustomerCode);
            rig.Power.Restore();
            rig.Boot();

            PaymentResult open = rig.Engine.FindByReference("R-1004");
            bool journaledOpen = rig.JournalOpened && open != null && open.Reason == "In progress";
            int recovered = rig.Engine.RecoverAll();
            PaymentResult r = rig.Engine.FindByReference("R-1004");
            GatewayPayment p = r == null ? null : rig.Gateway.FindPayment(r.RequestId);
            bool ok = journaledOpen && recovered == 1 && p != null && r.Status == FinalStatus.Success && r.PaymentId == p.PaymentId
                && p.Pays == 1 && p.Inquiries >= 1 && p.Cancels == 0;
            report.Check("power cut with boot recovery: journal after reboot " + (journaledOpen ? "holds the sale open" : "lost the sale")
                + ", " + recovered + " recovered: " + StepText.Result(r) + ", " + SaleSteps.Calls(p), ok,
                "expected the sale journaled before the pay, then paid per inquiry with the same paymentRequestId");
        }
    }
}
