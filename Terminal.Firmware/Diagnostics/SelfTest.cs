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
            VendingChecks.Run(report);
            CountertopChecks.Run(report);
            UpdateChecks.Run(report);
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

        /// <summary>The merchant menu's self-test: the summary first, then the failures (or every line when all passed).</summary>
        public static string[] RunForMenu()
        {
            LineCollector lines = new LineCollector();
            SelfTestReport report = RunAll(lines.Add);
            return lines.Summarize(report.Summary, report.Failed > 0);
        }

        /// <summary>Gathers the self-test's lines for the menu's screen.</summary>
        private sealed class LineCollector
        {
            private string[] _lines = new string[0];
            private int _count;

            public void Add(string line)
            {
                if (_count == _lines.Length)
                {
                    // Grown 16 at a time; the menu reads only the _count lines written.
                    string[] more = new string[_count + 16];
                    System.Array.Copy(_lines, more, _count);
                    _lines = more;
                }

                _lines[_count++] = line;
            }

            /// <summary>The summary, then the FAIL lines only when <paramref name="failuresOnly"/>.</summary>
            public string[] Summarize(string summary, bool failuresOnly)
            {
                int kept = 0;
                for (int i = 0; i < _count; i++)
                {
                    if (!failuresOnly || _lines[i].StartsWith("FAIL"))
                    {
                        kept++;
                    }
                }

                string[] result = new string[kept + 1];
                result[0] = summary;
                int at = 1;
                for (int i = 0; i < _count; i++)
                {
                    if (!failuresOnly || _lines[i].StartsWith("FAIL"))
                    {
                        result[at++] = _lines[i];
                    }
                }

                return result;
            }
        }
    }
}
