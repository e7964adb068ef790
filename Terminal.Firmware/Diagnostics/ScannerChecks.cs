using Terminal.Drivers.Scanner;
using Terminal.Drivers.Scanner.Commands;
using Terminal.Payments.Cpm;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known answers for the scanner protocol (frames and CRCs printed in the GM65 manual, section 8), the
    /// code framer and the payment-code rules (docs/antom-protocol.md section 5).
    /// </summary>
    public static class ScannerChecks
    {
        /// <summary>Runs the checks into <paramref name="report"/>.</summary>
        public static void Run(SelfTestReport report)
        {
            try
            {
                byte[] body = new byte[] { 0x07, 0x01, 0x00, 0x0A, 0x01 };
                report.Check("scanner CRC of manual read frame = EE8A", Gm65Crc.Compute(body, 0, body.Length) == 0xEE8A);

                byte[] frame = new byte[16];
                int n = new ReadZoneBits(0x000A, 1).WriteTo(frame, 0);
                report.CheckBytes("scanner read-zone frame", new byte[] { 0x7E, 0x00, 0x07, 0x01, 0x00, 0x0A, 0x01, 0xEE, 0x8A }, frame, 0, n);
                n = new SaveZoneBits().WriteTo(frame, 0);
                report.CheckBytes("scanner save frame", new byte[] { 0x7E, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0xDE, 0xC8 }, frame, 0, n);
                n = new TriggerScan().WriteTo(frame, 0);
                report.CheckBytes("scanner trigger frame", new byte[] { 0x7E, 0x00, 0x08, 0x01, 0x00, 0x02, 0x01, 0x02, 0xDA }, frame, 0, n);

                // The write/save ACK as the manual prints it.
                byte[] ack = new byte[] { 0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31 };
                Gm65ReplyParser parser = new Gm65ReplyParser(4);
                Gm65ReplyResult last = Gm65ReplyResult.None;
                for (int i = 0; i < ack.Length; i++)
                {
                    last = parser.Feed(ack[i]);
                }

                report.Check("scanner ACK 02 00 00 01 00 33 31 parses", last == Gm65ReplyResult.Reply && parser.IsAck);

                CodeFramer framer = new CodeFramer(new ScannerSettings());
                framer.SuffixRequired = true;
                for (int i = 0; i < ack.Length; i++)
                {
                    framer.Feed(ack[i], 0);
                }

                string code = "281012345678901234";
                for (int i = 0; i < code.Length; i++)
                {
                    framer.Feed((byte)code[i], 0);
                }

                ScanOutcome outcome = framer.Feed(0x0D, 0);
                report.Check("scanner framer strips the trigger ACK", outcome == ScanOutcome.Code && framer.CodeToString() == code);
            }
            catch (System.Exception e)
            {
                report.Crashed("scanner", e);
            }

            try
            {
                PaymentCodeValidator validator = new PaymentCodeValidator();
                bool ok = validator.Validate("281012345678901234") == PaymentCodeVerdict.Ok
                    && validator.Validate("251001020123456789012345") == PaymentCodeVerdict.Ok
                    && validator.Validate("https://qr.alipay.com/bax01234") == PaymentCodeVerdict.LooksLikeUrl
                    && validator.Validate("Hello from the menu") == PaymentCodeVerdict.LooksLikeText
                    && validator.Validate("2810123456") == PaymentCodeVerdict.TooShort
                    && validator.Validate("123456789012345678") == PaymentCodeVerdict.UnknownPrefix
                    && validator.Validate("2810-1234-5678-9012-34") == PaymentCodeVerdict.NotDigits;
                report.Check("payment code verdicts", ok);
            }
            catch (System.Exception e)
            {
                report.Crashed("payment code verdicts", e);
            }
        }
    }
}
