using Terminal.Firmware.HostLink;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// The terminal's self-test: known-answer checks of every portable module, the same code on the
    /// device (after flashing, on request over the host link) and on the PC (simulator `selftest`).
    /// Each module contributes one static <c>Run(SelfTestReport)</c>; add it to the list below.
    /// </summary>
    public static class SelfTest
    {
        /// <summary>Runs every check, prints one line each and the closing "N passed, M failed" line.</summary>
        public static SelfTestReport RunAll(SelfTestOutput output)
        {
            SelfTestReport report = new SelfTestReport(output);
            PrimitiveChecks.Run(report);
            DisplayChecks.Run(report);
            ScannerChecks.Run(report);
            HostLinkChecks.Run(report);
            QrChecks.Run(report);
            EngineChecks.Run(report);
            if (output != null)
            {
                output(report.Summary);
            }

            return report;
        }

        /// <summary>SELFTEST on the host link (a <see cref="SelfTestRunner"/>): every line as INFO, then the counts.</summary>
        public static void RunForHostLink(HostLinkInfoWriter info, out int passed, out int failed)
        {
            SelfTestReport report = RunAll(delegate(string line) { info(line); });
            passed = report.Passed;
            failed = report.Failed;
        }
    }
}
