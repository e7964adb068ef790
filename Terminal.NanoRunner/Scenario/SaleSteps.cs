using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Gateway;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>The three ways a sale gets paid: a payment code paid at once, one paid after inquiries, an order code.</summary>
    public static class SaleSteps
    {
        /// <summary>Customer payment codes in the Alipay+ 24-digit format (issuer, "02", 16 digits).</summary>
        public const string FirstCustomerCode = "253917024605118273390264";
        public const string SecondCustomerCode = "253917027781940036512487";

        public static void CpmPaidAtOnce(ScenarioRig rig, SelfTestReport report)
        {
            PaymentResult r = rig.Sale(TransactionKind.SalePaymentCode, 1280, "R-1001", FirstCustomerCode);
            GatewayPayment p = rig.Gateway.FindPayment(r.RequestId);
            bool ok = p != null && r.Status == FinalStatus.Success && r.PaymentId == p.PaymentId && p.Status == GatewayPayment.Success
                && p.Pays == 1 && p.Inquiries == 0 && p.Code == FirstCustomerCode && rig.Gateway.Rejected == 0;
            report.Check("cpm sale paid at once: " + StepText.Result(r) + ", " + Calls(p), ok, "expected SUCCESS from one signed pay and no inquiry");
        }

        public static void CpmAfterInquiries(ScenarioRig rig, SelfTestReport report)
        {
            rig.Gateway.NextInquiriesUntilPaid = 3;
            long start = rig.Clock.MonotonicMs();
            PaymentResult r = rig.Sale(TransactionKind.SalePaymentCode, 2450, "R-1002", SecondCustomerCode);
            long waited = rig.Clock.MonotonicMs() - start;
            GatewayPayment p = rig.Gateway.FindPayment(r.RequestId);
            bool ok = p != null && r.Status == FinalStatus.Success && r.PaymentId == p.PaymentId && p.Pays == 1 && p.Inquiries == 3
                && waited == 3L * rig.Config.Engine.PollIntervalMs;
            report.Check("cpm sale paid after inquiries: " + StepText.Result(r) + ", " + Calls(p) + ", " + waited + " ms of polling", ok,
                "expected U PAYMENT_IN_PROCESS, then SUCCESS on the third inquiry, " + rig.Config.Engine.PollIntervalMs + " ms apart");
        }

        public static void MpmOrderCode(ScenarioRig rig, SelfTestReport report)
        {
            rig.Gateway.NextInquiriesUntilPaid = 2;
            int shownBefore = rig.Qr.Shown;
            PaymentResult r = rig.Sale(TransactionKind.SaleOrderCode, 990, "R-1003", null);
            GatewayPayment p = rig.Gateway.FindPayment(r.RequestId);
            QrScreen qr = rig.Qr;
            bool ok = p != null && r.Status == FinalStatus.Success && p.OrderCode && p.Inquiries == 2 && qr.Shown == shownBefore + 1
                && qr.FrameMatches && qr.Size == 17 + 4 * qr.Version && qr.Scale >= 1;
            report.Check("mpm order-code sale: " + StepText.Result(r) + ", " + Calls(p) + "; QR version " + qr.Version + ", " + qr.Size + "x" + qr.Size
                + " modules at " + qr.Scale + " px, frame matches the symbol: " + (qr.FrameMatches ? "yes" : "no") + ", frame CRC-32 " + StepText.Hex(qr.FrameCrc),
                ok, "expected the order QR drawn once, read back module by module, then SUCCESS on the second inquiry");
        }

        public static string Calls(GatewayPayment p)
        {
            return p == null ? "unknown to the gateway" : "gateway saw pays=" + p.Pays + " inquiries=" + p.Inquiries + " cancels=" + p.Cancels;
        }
    }
}
