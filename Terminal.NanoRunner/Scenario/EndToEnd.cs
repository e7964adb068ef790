using Terminal.Firmware.Diagnostics;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The scripted day of one terminal, step after step on the same journal and gateway. A step that throws is a
    /// failed step, never the end of the run (on nanoCLR an unhandled exception would end it silently).
    /// </summary>
    public static class EndToEnd
    {
        private delegate void Step(ScenarioRig rig, SelfTestReport report);

        public static void Run(SelfTestReport report)
        {
            ScenarioRig rig;
            try
            {
                rig = new ScenarioRig();
            }
            catch (System.Exception e)
            {
                report.Crashed("scenario set-up", e);
                return;
            }

            Run(rig, report, "cpm sale paid at once", SaleSteps.CpmPaidAtOnce);
            Run(rig, report, "cpm sale paid after inquiries", SaleSteps.CpmAfterInquiries);
            Run(rig, report, "mpm order-code sale", SaleSteps.MpmOrderCode);
            Run(rig, report, "power cut with boot recovery", PowerCutStep.Run);
            Run(rig, report, "refund", AfterSaleSteps.Refund);
            Run(rig, report, "void", AfterSaleSteps.Void);
            Run(rig, report, "host-link session", HostLinkStep.Run);
            Run(rig, report, "pulse vend cut and resumed", VendSteps.PulseCreditResumed);
            Run(rig, report, "mdb vend failed and refunded", VendSteps.MdbFailureRefunded);
            Run(rig, report, "gm65 begin scan", ScannerSteps.BeginScan);
            Run(rig, report, "colour tft screens", TftScreens.Run);
            Run(rig, report, "heartbeat", HeartbeatStep.Run);
        }

        private static void Run(ScenarioRig rig, SelfTestReport report, string name, Step step)
        {
            try
            {
                step(rig, report);
            }
            catch (System.Exception e)
            {
                report.Crashed(name, e);
            }
        }
    }
}
