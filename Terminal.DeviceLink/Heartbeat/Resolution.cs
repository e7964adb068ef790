using Terminal.Core.Text;
using Terminal.Payments.Journal;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>One final status the gateway found for a transaction the terminal reported for review (pooled, reused).</summary>
    public sealed class Resolution
    {
        /// <summary>Sale (any sale kind), refund or void.</summary>
        public TransactionKind Kind;

        /// <summary>Success, Failed or Cancelled; None for a status word the terminal does not know (ignored).</summary>
        public FinalStatus Status;

        /// <summary>paymentRequestId of the sale (of the voided sale for a void), refundRequestId of a refund.</summary>
        public readonly TextField RequestId = new TextField(64);

        /// <summary>The gateway's code for how it was resolved, e.g. GATEWAY_CANCELLED.</summary>
        public readonly TextField ResultCode = new TextField(64);

        internal void Clear()
        {
            Kind = TransactionKind.None;
            Status = FinalStatus.None;
            RequestId.Clear();
            ResultCode.Clear();
        }
    }
}
