using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Gateway;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>A partial refund confirmed by inquiryRefund, and a void (cancel of a paid sale).</summary>
    public static class AfterSaleSteps
    {
        public static void Refund(ScenarioRig rig, SelfTestReport report)
        {
            rig.Gateway.NextRefundInquiries = 1;
            PaymentResult r = rig.Engine.Refund("R-1001", 450);
            GatewayRefund g = r == null ? null : rig.Gateway.FindRefund(r.RequestId);
            PaymentResult sale = rig.Engine.FindByReference("R-1001");
            bool ok = g != null && r.Status == FinalStatus.Success && g.Amount == 450 && g.Status == GatewayPayment.Success
                && g.Submits == 1 && g.Inquiries == 1 && sale.RefundedMinor == 450;
            report.Check("refund: " + StepText.Result(r) + ", refund " + (g == null ? "unknown to the gateway" : g.RefundId + " (gateway saw refunds=" + g.Submits
                + " inquiries=" + g.Inquiries + ")") + ", sale refunded " + (sale == null ? 0 : sale.RefundedMinor), ok,
                "expected U REFUND_IN_PROCESS, then SUCCESS from inquiryRefund, and 450 counted on the sale");
        }

        public static void Void(ScenarioRig rig, SelfTestReport report)
        {
            PaymentResult r = rig.Engine.Void("R-1002");
            PaymentResult sale = rig.Engine.FindByReference("R-1002");
            GatewayPayment p = sale == null ? null : rig.Gateway.FindPayment(sale.RequestId);
            bool ok = p != null && r.Status == FinalStatus.Success && sale.Voided && p.Status == GatewayPayment.Cancelled && p.Cancels == 1;
            report.Check("void: " + StepText.Result(r) + ", sale voided: " + (sale != null && sale.Voided ? "yes" : "no") + ", " + SaleSteps.Calls(p), ok,
                "expected one cancel of the paid sale and the sale marked voided");
        }
    }
}
