using Terminal.Firmware.HostLink;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>Known answers for the host-link line protocol (docs/host-link.md).</summary>
    public static class HostLinkChecks
    {
        /// <summary>Runs the checks into <paramref name="report"/>.</summary>
        public static void Run(SelfTestReport report)
        {
            try
            {
                report.Check("hostlink CRC-8 check value F4", HostLinkChecksum.Compute("123456789") == 0xF4);
                report.Check("hostlink checksum of \"1 PING\" = F7", HostLinkChecksum.Compute("1 PING") == 0xF7);

                HostLinkRequestParser parser = new HostLinkRequestParser();
                HostLinkRequest request = new HostLinkRequest();
                byte[] line = AsciiText.Bytes("12 SALE 1250 USD CPM A-1001*F6");
                HostLinkError error = parser.Parse(line, line.Length, request);
                report.Check("hostlink parses a SALE line", error == HostLinkError.None && request.Id == 12
                    && request.Command == HostLinkCommand.Sale && request.AmountMinor == 1250
                    && request.Currency == "USD" && request.Mode == HostLinkSaleMode.Cpm && request.Reference == "A-1001");

                line[line.Length - 1] = (byte)'7';
                error = parser.Parse(line, line.Length, request);
                report.Check("hostlink refuses a bad checksum", error == HostLinkError.Checksum && request.Id == 0);

                HostLinkLineWriter writer = new HostLinkLineWriter();
                writer.BeginEvent(7).Word("RESULT").Word("SALE").Word("A-1001").Word("SUCCESS").Number(1250)
                    .Word("USD").Word("20240101123456").Word(null).Text("Paid");
                int n = writer.Finish();
                report.CheckBytes("hostlink formats a RESULT event",
                    AsciiText.Bytes("!7 RESULT SALE A-1001 SUCCESS 1250 USD 20240101123456 - Paid*D9\r\n"), writer.Buffer, 0, n);
            }
            catch (System.Exception e)
            {
                report.Crashed("hostlink", e);
            }
        }
    }
}
