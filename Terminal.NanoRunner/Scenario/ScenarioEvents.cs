using Terminal.Core.Text;
using Terminal.Firmware.HostLink;
using Terminal.Payments.Engine;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The engine's events as the terminal turns them into screens and host-link events: order codes are drawn
    /// (<see cref="QrScreen"/>), and while a host-link controller runs the transaction its events go out on the
    /// line as the terminal's do.
    /// </summary>
    public sealed class ScenarioEvents : IPaymentEvents
    {
        private readonly QrScreen _qr;

        public ScenarioEvents(QrScreen qr)
        {
            _qr = qr;
        }

        /// <summary>The host link to send sale events on, and the register's reference; null when none.</summary>
        public HostLinkServer HostLink { get; set; }

        public string HostLinkReference { get; set; }

        /// <summary>The host link's transaction is a sale (PROCESSING is announced for sales only).</summary>
        public bool HostLinkSale { get; set; }

        public void OnProcessing()
        {
            if (HostLink != null && HostLinkSale)
            {
                HostLink.SendProcessing(HostLinkReference);
            }
        }

        public void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            _qr.Show(codeValue, offset, count, amountMinor, currency, expiresInMs);
            if (HostLink != null)
            {
                HostLink.SendShowQr(HostLinkReference, Utf8.Decode(codeValue, offset, count));
            }
        }

        public void OnWaitingForCustomer()
        {
            if (HostLink != null)
            {
                HostLink.SendWaitingForCustomer(HostLinkReference);
            }
        }

        public void OnCancelling()
        {
        }

        public void OnResult(PaymentResult result)
        {
            Report(result);
        }

        public void OnNeedsReview(PaymentResult result)
        {
            Report(result);
        }

        private void Report(PaymentResult result)
        {
            if (HostLink != null)
            {
                HostLink.SendResult(StepText.ToHostLink(result));
            }
        }
    }
}
