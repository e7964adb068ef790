using Terminal.Firmware.HostLink;

namespace Terminal.Esp32.Startup
{
    /// <summary>
    /// The host link's view of a terminal that could not start (bad configuration, failed start-up): every
    /// transaction is refused with the reason, STATUS says ERROR and the reason, DIAG and SELFTEST still work.
    /// </summary>
    public sealed class FailureHandler : IHostLinkHandler
    {
        private readonly string _reason;
        private readonly DeviceDiagnostics _diagnostics;

        public FailureHandler(string reason, DeviceDiagnostics diagnostics)
        {
            _reason = reason;
            _diagnostics = diagnostics;
        }

        public bool IsBusy
        {
            get { return false; }
        }

        public HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
        {
            detail = "terminal not ready: " + _reason;
            return HostLinkAnswer.Refused;
        }

        public HostLinkAnswer Abort(out string detail)
        {
            detail = null;
            return HostLinkAnswer.NoSale;
        }

        public HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
        {
            detail = "terminal not ready: " + _reason;
            return HostLinkAnswer.Refused;
        }

        public HostLinkAnswer Void(string reference, string paymentId, out string detail)
        {
            detail = "terminal not ready: " + _reason;
            return HostLinkAnswer.Refused;
        }

        public string Status()
        {
            return "ERROR " + _reason;
        }

        public HostLinkResult Last()
        {
            return null;
        }

        public string[] Diagnostics()
        {
            string[] device = _diagnostics.Lines();
            string[] lines = new string[device.Length + 1];
            lines[0] = "not started: " + _reason;
            System.Array.Copy(device, 0, lines, 1, device.Length);
            return lines;
        }

        public void SelfTest(HostLinkInfoWriter info, out int passed, out int failed)
        {
            Terminal.Firmware.Diagnostics.SelfTest.RunForHostLink(info, out passed, out failed);
        }
    }
}
