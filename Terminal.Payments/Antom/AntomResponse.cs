using Terminal.Core.Text;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// The fields of an Antom response the engine uses, parsed into preallocated storage (one instance, reused).
    /// Only meaningful after a call returned <see cref="CallOutcome.Answered"/>.
    /// </summary>
    public sealed class AntomResponse
    {
        public AntomResponse(int codeValueCapacity)
        {
            CodeValue = new TextField(codeValueCapacity);
        }

        /// <summary>result.resultStatus: 'S', 'F', 'U', or 0 when absent or not one letter.</summary>
        public byte ResultStatus;

        /// <summary>result.resultCode.</summary>
        public readonly TextField ResultCode = new TextField(TransactionRecord.IdCapacity);

        /// <summary><see cref="ResultTable"/> index of <see cref="ResultCode"/>, -1 when not listed.</summary>
        public int ResultCodeIndex = -1;

        /// <summary>result.resultMessage, cut to 96 bytes (logs only).</summary>
        public readonly TextField ResultMessage = new TextField(96);

        public readonly TextField PaymentId = new TextField(TransactionRecord.IdCapacity);
        public readonly TextField PaymentRequestId = new TextField(TransactionRecord.IdCapacity);
        public RemoteStatus PaymentStatus;
        public readonly TextField PaymentResultCode = new TextField(TransactionRecord.IdCapacity);

        public readonly TextField RefundId = new TextField(TransactionRecord.IdCapacity);
        public readonly TextField RefundRequestId = new TextField(TransactionRecord.IdCapacity);
        public RemoteStatus RefundStatus;

        /// <summary>pspCustomerInfo.pspName: the wallet that paid; empty when absent or too long.</summary>
        public readonly TextField WalletName = new TextField(TransactionRecord.WalletNameCapacity);

        /// <summary>paymentAmount or refundAmount, when present.</summary>
        public bool HasAmount;
        public long AmountValue;
        public readonly TextField AmountCurrency = new TextField(3);

        /// <summary>orderCodeForm.codeDetails[].codeValue (the QRCODE one when types are given).</summary>
        public readonly TextField CodeValue;

        /// <summary>A codeValue was present but longer than <see cref="CodeValue"/>'s capacity.</summary>
        public bool CodeValueTooLong;

        /// <summary>orderCodeForm.expireTime as epoch ms, when present and well-formed.</summary>
        public bool HasExpireTime;
        public long ExpireEpochMs;

        /// <summary>The Response-Time header as epoch ms (the gateway's clock), when numeric.</summary>
        public bool HasResponseTime;
        public long ResponseEpochMs;

        public void Clear()
        {
            ResultStatus = 0;
            ResultCode.Clear();
            ResultCodeIndex = -1;
            ResultMessage.Clear();
            PaymentId.Clear();
            PaymentRequestId.Clear();
            PaymentStatus = RemoteStatus.None;
            PaymentResultCode.Clear();
            RefundId.Clear();
            RefundRequestId.Clear();
            RefundStatus = RemoteStatus.None;
            WalletName.Clear();
            HasAmount = false;
            AmountValue = 0;
            AmountCurrency.Clear();
            CodeValue.Clear();
            CodeValueTooLong = false;
            HasExpireTime = false;
            ExpireEpochMs = 0;
            HasResponseTime = false;
            ResponseEpochMs = 0;
        }
    }
}
