using Terminal.Firmware.Diagnostics;
using Terminal.Firmware.HostLink;
using Terminal.NanoRunner.Ports;
using Terminal.Payments.Engine;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// A cash register on the host link (docs/host-link.md): PING, an MPM sale with its events, the same SALE line
    /// sent again (the reply was "lost"), STATUS, LAST, a line corrupted in transit and a refund. Every line the
    /// terminal writes must be exactly the expected one; checksums are computed here, independently.
    /// </summary>
    public static class HostLinkStep
    {
        public static void Run(ScenarioRig rig, SelfTestReport report)
        {
            LoopbackSerialPort line = new LoopbackSerialPort(24);
            HostLinkDesk desk = new HostLinkDesk(rig);
            HostLinkServer server = new HostLinkServer(line, desk);
            int paymentsBefore = rig.Gateway.PaymentCount;
            rig.Gateway.NextInquiriesUntilPaid = 1;

            string sale = Framed("2 SALE 990 SGD MPM R-2001");
            Exchange(line, server, desk, Framed("1 PING"));
            Exchange(line, server, desk, sale);
            Exchange(line, server, desk, sale);
            Exchange(line, server, desk, Framed("3 STATUS"));
            Exchange(line, server, desk, Framed("4 LAST"));
            Exchange(line, server, desk, "5 ABORT*00");
            Exchange(line, server, desk, Framed("6 REFUND REF R-2001 990"));

            PaymentResult paid = rig.Engine.FindByReference("R-2001");
            string id = paid == null ? "-" : StepText.Or(paid.PaymentId);
            string[] expected =
            {
                Framed("1 OK PING HL1"),
                Framed("2 OK SALE R-2001"),
                Framed("!1 PROCESSING R-2001"),
                Framed("!2 SHOW_QR R-2001 " + rig.Gateway.CodeValue),
                Framed("!3 WAITING_FOR_CUSTOMER R-2001"),
                Framed("!4 RESULT SALE R-2001 SUCCESS 990 SGD " + id + " SUCCESS Approved"),
                Framed("2 OK SALE R-2001"),
                Framed("3 OK STATUS IDLE"),
                Framed("4 OK LAST SALE R-2001 SUCCESS 990 SGD " + id + " SUCCESS Approved"),
                Framed("0 ERR CHECKSUM checksum does not match"),
                Framed("6 OK REFUND"),
                Framed("!5 RESULT REFUND R-2001 SUCCESS 990 SGD " + id + " SUCCESS Refunded"),
            };

            int mismatch = -1;
            for (int i = 0; i < expected.Length && mismatch < 0; i++)
            {
                if (line.LineAt(i) != expected[i])
                {
                    mismatch = i;
                }
            }

            int sales = rig.Gateway.PaymentCount - paymentsBefore;
            bool ok = Framed("1 PING") == "1 PING*F7" && mismatch < 0 && line.LineCount == expected.Length && sales == 1;
            report.Check("host-link session: 7 lines in, " + line.LineCount + " lines out, " + (mismatch < 0 ? "all as expected" : "line " + (mismatch + 1) + " differs")
                + ", " + sales + " sale at the gateway", ok,
                mismatch < 0 ? "expected " + expected.Length + " lines and one sale" : "expected '" + expected[mismatch] + "', got '" + line.LineAt(mismatch) + "'");
        }

        /// <summary>The controller sends one line; the terminal answers it, then runs what it accepted.</summary>
        private static void Exchange(LoopbackSerialPort line, HostLinkServer server, HostLinkDesk desk, string text)
        {
            line.Send(text + "\r\n");
            server.Poll(0);
            desk.RunPending(server);
        }

        /// <summary>The line with its "*CC" checksum: CRC-8, polynomial 0x07, initial 0, over every byte before '*'.</summary>
        private static string Framed(string text)
        {
            int crc = 0;
            for (int i = 0; i < text.Length; i++)
            {
                crc ^= text[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
                }
            }

            return text + "*" + StepText.Hex((uint)crc).Substring(6);
        }
    }
}
