using Terminal.Core.Text;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// One journaled transaction. Instances are pooled by the journal and reused; fields are plain so that the
    /// engine updates them in place and the journal writes them in one commit.
    /// </summary>
    public sealed class TransactionRecord
    {
        /// <summary>Capacity of every id field: Antom's limit for request ids (docs/antom-protocol.md 3.1).</summary>
        public const int IdCapacity = 64;

        /// <summary>Capacity of <see cref="WalletName"/> (Antom's pspName values are short codes such as ALIPAYCN).</summary>
        public const int WalletNameCapacity = 32;

        /// <summary>Flag: a sale was voided (cancelled after it was paid).</summary>
        public const int FlagVoided = 1;

        /// <summary>Flag: a failed void should be followed by a refund (CANCEL_WINDOW_EXCEED).</summary>
        public const int FlagSuggestRefund = 2;

        /// <summary>Flag: the final status came from a code the result table calls a configuration error.</summary>
        public const int FlagConfigurationError = 4;

        /// <summary>Flag: the terminal had this outcome for review; the gateway resolved it (docs/fleet-link.md, "Resolutions").</summary>
        public const int FlagResolvedByGateway = 8;

        /// <summary>Flag: a vend's pulses were resumed after a power cut (the pulse in flight then may be lost, never doubled).</summary>
        public const int FlagCreditResumed = 16;

        /// <summary>
        /// Flag: the final status is journaled but its result may not have been reported yet (set in the final commit,
        /// cleared in a commit once the result is out). Boot reports it again.
        /// </summary>
        public const int FlagUnreported = 32;

        /// <summary>Largest credit in pulses one record holds (journaled as 16 bits).</summary>
        public const int MaxCreditUnits = 65535;

        /// <summary>Device-unique number, the persisted counter value used in the request id.</summary>
        public long Number;

        public TransactionKind Kind;
        public TransactionState State;
        public FinalStatus Status;
        public CancelReason CancelReason;
        public int Flags;

        /// <summary>Amount in minor units (sale: paid amount; refund: refund amount).</summary>
        public long AmountMinor;

        /// <summary>Sales: sum of confirmed refunds, minor units.</summary>
        public long RefundedMinor;

        /// <summary>Wall time when the transaction was created; also the fixed storeTerminalRequestTime.</summary>
        public long CreatedEpochMs;

        public long FinishedEpochMs;

        /// <summary>
        /// Order-code sales: when the order code expires, on the device's wall clock (its lifetime from the
        /// gateway's answer added to the device's time then); 0 = not known. Boot recovery polls until then.
        /// </summary>
        public long OrderExpiresEpochMs;

        /// <summary>Vending sales: where the goods or credit stand; <see cref="VendState.None"/> for other sales.</summary>
        public VendState Vend;

        /// <summary>MDB vends: the machine's item number (0..65535); 0 for pulse credit.</summary>
        public int VendItem;

        /// <summary>Pulse vends: the credit in pulses (amount / value per pulse); 0 for MDB.</summary>
        public int CreditUnits;

        /// <summary>Pulse vends: pulses that may be out (each journaled before it is sent).</summary>
        public int CreditDone;

        /// <summary>ISO 4217 code.</summary>
        public readonly TextField Currency = new TextField(3);

        /// <summary>paymentRequestId (sales) or refundRequestId (refunds); empty for voids.</summary>
        public readonly TextField RequestId = new TextField(IdCapacity);

        /// <summary>Antom paymentId of the sale (for refunds and voids: of the sale they act on).</summary>
        public readonly TextField PaymentId = new TextField(IdCapacity);

        /// <summary>The cash register's reference (referenceOrderId of a sale).</summary>
        public readonly TextField Reference = new TextField(IdCapacity);

        /// <summary>Customer-presented payment code (CPM only).</summary>
        public readonly TextField PaymentCode = new TextField(IdCapacity);

        /// <summary>The Antom result code that decided the final status.</summary>
        public readonly TextField ResultCode = new TextField(IdCapacity);

        /// <summary>Refunds and voids: paymentRequestId of the sale they act on.</summary>
        public readonly TextField TargetRequestId = new TextField(IdCapacity);

        /// <summary>Refunds: Antom's refundId once known.</summary>
        public readonly TextField ExternalId = new TextField(IdCapacity);

        /// <summary>Paid sales: the wallet that paid, as Antom names it (pspCustomerInfo.pspName); empty when not given.</summary>
        public readonly TextField WalletName = new TextField(WalletNameCapacity);

        public bool IsFinal
        {
            get { return State == TransactionState.Final; }
        }

        public bool IsSale
        {
            get { return Kind == TransactionKind.SaleOrderCode || Kind == TransactionKind.SalePaymentCode; }
        }

        /// <summary>A paid vend not yet settled: credit or goods still owed, or its refund running.</summary>
        public bool HoldsOpenVend
        {
            get { return Vend == VendState.CreditDue || Vend == VendState.Delivering || Vend == VendState.Approved || Vend == VendState.Refunding; }
        }

        /// <summary>Final with nothing left to do: the journal may drop it once more than N are kept.</summary>
        public bool IsSettled
        {
            get { return State == TransactionState.Final && !HoldsOpenVend; }
        }

        public bool HasFlag(int flag)
        {
            return (Flags & flag) != 0;
        }

        /// <summary>Resets every field (the pool hands the record out again).</summary>
        public void Clear()
        {
            Number = 0;
            Kind = TransactionKind.None;
            State = TransactionState.None;
            Status = FinalStatus.None;
            CancelReason = CancelReason.None;
            Flags = 0;
            AmountMinor = 0;
            RefundedMinor = 0;
            CreatedEpochMs = 0;
            FinishedEpochMs = 0;
            OrderExpiresEpochMs = 0;
            Vend = VendState.None;
            VendItem = 0;
            CreditUnits = 0;
            CreditDone = 0;
            Currency.Clear();
            RequestId.Clear();
            PaymentId.Clear();
            Reference.Clear();
            PaymentCode.Clear();
            ResultCode.Clear();
            TargetRequestId.Clear();
            ExternalId.Clear();
            WalletName.Clear();
        }

        /// <summary>Copies every field of <paramref name="other"/>.</summary>
        public void CopyFrom(TransactionRecord other)
        {
            Number = other.Number;
            Kind = other.Kind;
            State = other.State;
            Status = other.Status;
            CancelReason = other.CancelReason;
            Flags = other.Flags;
            AmountMinor = other.AmountMinor;
            RefundedMinor = other.RefundedMinor;
            CreatedEpochMs = other.CreatedEpochMs;
            FinishedEpochMs = other.FinishedEpochMs;
            OrderExpiresEpochMs = other.OrderExpiresEpochMs;
            Vend = other.Vend;
            VendItem = other.VendItem;
            CreditUnits = other.CreditUnits;
            CreditDone = other.CreditDone;
            Currency.Set(other.Currency);
            RequestId.Set(other.RequestId);
            PaymentId.Set(other.PaymentId);
            Reference.Set(other.Reference);
            PaymentCode.Set(other.PaymentCode);
            ResultCode.Set(other.ResultCode);
            TargetRequestId.Set(other.TargetRequestId);
            ExternalId.Set(other.ExternalId);
            WalletName.Set(other.WalletName);
        }
    }
}
