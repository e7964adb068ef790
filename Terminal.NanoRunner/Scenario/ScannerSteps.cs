using Terminal.Drivers.Scanner;
using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Ports;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The GM65 driver's <see cref="Gm65Scanner.BeginScan"/> on the real interpreter (docs/scanner.md): a late
    /// customer's code waiting whole in the UART when a scan begins is dropped, one split across the begin is
    /// dropped when it ends, and the code shown for this scan is read. The last check is the negative control: the
    /// comparison these checks rest on fails for a deliberately wrong expected code.
    /// </summary>
    public static class ScannerSteps
    {
        public const string LateCode = "281010897274821897274821";
        public const string ThisScansCode = "281099887766554433221100";

        public static void BeginScan(ScenarioRig rig, SelfTestReport report)
        {
            LoopbackSerialPort port = new LoopbackSerialPort(4);
            Gm65Scanner scanner = new Gm65Scanner(port, rig.Clock.MonotonicMs);

            port.Send(LateCode + "\r");
            scanner.BeginScan();
            ScanOutcome waiting = scanner.Poll(0);
            report.Check("scanner late code waiting as the scan began: " + Text(waiting) + ", stale lines " + scanner.StaleLines,
                waiting == ScanOutcome.None && scanner.StaleLines == 1, "expected it dropped inside BeginScan");

            port.Send(LateCode.Substring(0, 10));
            ScanOutcome half = scanner.Poll(0);
            scanner.BeginScan();
            port.Send(LateCode.Substring(10) + "\r");
            ScanOutcome rest = scanner.Poll(0);
            report.Check("scanner late code split across the begin: " + Text(half) + " then " + Text(rest) + ", stale lines " + scanner.StaleLines,
                half == ScanOutcome.None && rest == ScanOutcome.Stale && scanner.StaleLines == 2, "expected the line in progress dropped when it ends");

            scanner.Trigger();
            port.Send(ThisScansCode + "\r");
            ScanOutcome read = scanner.Poll(0);
            report.Check("scanner this scan's code: " + Text(read) + " " + (read == ScanOutcome.Code ? scanner.CodeToString() : "-"),
                read == ScanOutcome.Code && AsciiText.Matches(scanner.Code, scanner.CodeLength, ThisScansCode), "expected the code shown after the begin read whole");

            report.Check("scanner negative control: the late code is not what it holds", !AsciiText.Matches(scanner.Code, scanner.CodeLength, LateCode),
                "the code comparison passed for a wrong expected code");
        }

        private static string Text(ScanOutcome outcome)
        {
            switch (outcome)
            {
                case ScanOutcome.None:
                    return "none";
                case ScanOutcome.Code:
                    return "code";
                case ScanOutcome.Stale:
                    return "stale";
                default:
                    return "outcome " + (int)outcome;
            }
        }
    }
}
