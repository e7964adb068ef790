using Terminal.Firmware.HostLink;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Text;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The engine's events as the terminal would turn them into screens and host-link events: order codes are
    /// drawn (<see cref="QrScreen"/>), results are kept for the steps to check, and while a host-link controller
    /// runs the sale its events go out on the line like the app's.
    /// </summary>
    public sealed class ScenarioEvents : IPaymentEvents
    {
        private readonly QrScreen _qr;

        public ScenarioEvents(QrScreen qr)
        {
            _qr = qr;
        }

        public int Processing { get; private set; }

        public int Cancelling { get; private set; }

        public int Results { get; private set; }

        public PaymentResult LastResult { get; private set; }

        /// <summary>The host link to send sale events on, and the register's reference; null when none.</summary>
        public HostLinkServer HostLink { get; set; }

        public string HostLinkReference { get; set; }

        /// <summary>The host link's transaction is a sale (PROCESSING is announced for sales only).</summary>
        public bool HostLinkSale { get; set; }

        public void OnProcessing()
        {
            Processing++;
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
            Cancelling++;
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
            Results++;
            LastResult = result;
            if (HostLink != null)
            {
                HostLink.SendResult(StepText.ToHostLink(result));
            }
        }
    }
}
