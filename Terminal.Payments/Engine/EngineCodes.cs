using Terminal.Payments.Antom;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// Result codes the engine itself assigns when no Antom code decides (prefix TERMINAL_ so they never collide
    /// with Antom's), with their screen reasons.
    /// </summary>
    public static class EngineCodes
    {
        public const string Aborted = "TERMINAL_ABORTED";
        public const string Expired = "TERMINAL_ORDER_EXPIRED";
        public const string Timeout = "TERMINAL_TIMEOUT";
        public const string NotSent = "TERMINAL_NOT_SENT";
        public const string Unresolved = "TERMINAL_UNRESOLVED";
        public const string CancelUnconfirmed = "TERMINAL_CANCEL_UNCONFIRMED";
        public const string CancelRefused = "TERMINAL_CANCEL_REFUSED";
        public const string CodeTooLong = "TERMINAL_CODE_TOO_LONG";
        public const string StorageError = "TERMINAL_STORAGE_ERROR";
        public const string InvalidRequest = "TERMINAL_INVALID_REQUEST";
        public const string NotFound = "TERMINAL_NOT_FOUND";
        public const string NotRefundable = "TERMINAL_NOT_REFUNDABLE";
        public const string NotVoidable = "TERMINAL_NOT_VOIDABLE";
        public const string PreviousUnresolved = "TERMINAL_PREVIOUS_UNRESOLVED";
        public const string Closed = "TERMINAL_CLOSED";
        public const string PaymentFailed = "TERMINAL_PAYMENT_FAILED";
        public const string RefundUnconfirmed = "TERMINAL_REFUND_UNCONFIRMED";
        public const string RefundFailed = "TERMINAL_REFUND_FAILED";
        public const string InternalError = "TERMINAL_INTERNAL_ERROR";
        public const string ClosedForCode = "TERMINAL_CLOSED_FOR_CODE";

        // The gateway's codes for an outcome it resolved after the terminal had it for review (docs/fleet-link.md).
        public const string GatewayCancelled = "GATEWAY_CANCELLED";
        public const string GatewayRefunded = "GATEWAY_REFUNDED";
        public const string GatewayNotPaid = "GATEWAY_NOT_PAID";
        public const string GatewayConfirmed = "GATEWAY_CONFIRMED";
        public const string GatewayFailed = "GATEWAY_FAILED";
        public const string OperatorClosed = "OPERATOR_CLOSED";

        private static readonly string[] Codes =
        {
            Aborted,
            Expired,
            Timeout,
            NotSent,
            Unresolved,
            CancelUnconfirmed,
            CancelRefused,
            CodeTooLong,
            StorageError,
            InvalidRequest,
            NotFound,
            NotRefundable,
            NotVoidable,
            PreviousUnresolved,
            Closed,
            PaymentFailed,
            RefundUnconfirmed,
            RefundFailed,
            InternalError,
            GatewayCancelled,
            GatewayRefunded,
            GatewayNotPaid,
            GatewayConfirmed,
            GatewayFailed,
            OperatorClosed,
            ClosedForCode,
        };

        private static readonly string[] Reasons =
        {
            "Cancelled by the cashier",
            "Cancelled: the customer did not pay",
            "No result in time: payment cancelled",
            "Network unavailable: not charged",
            "No answer from the payment service: cancelled",
            "Cancel not confirmed: check the payment manually",
            "Cancel refused: check the payment manually",
            "Order code too long to display: cancelled",
            "Storage error: nothing was charged",
            "Invalid request",
            "Transaction not found",
            "Transaction cannot be refunded",
            "Transaction cannot be voided",
            "Previous attempt unresolved: check it first",
            "Order closed: not paid",
            "Payment failed",
            "Refund not confirmed: check manually",
            "Refund failed",
            "Terminal error: check the transaction",
            "Paid, then cancelled by the gateway: money returned",
            "Paid, then refunded by the gateway",
            "Not paid: confirmed by the gateway",
            "Confirmed by the gateway",
            "Failed: confirmed by the gateway",
            "Closed by an operator: see the merchant portal",
            "Order closed for the customer's payment code",
        };

        /// <summary>
        /// Screen reason for an order-code sale that Antom itself closed at its expiry (inquiry: FAIL with
        /// ORDER_IS_CLOSED); the code stays Antom's.
        /// </summary>
        public const string OrderExpiredReason = "Order expired, customer did not pay";

        private const string OrderIsClosed = "ORDER_IS_CLOSED";

        /// <summary>
        /// Screen reason for a finished transaction's code: as <see cref="ReasonFor(string)"/>, except that an
        /// order code closed by Antom (ORDER_IS_CLOSED) means the customer did not pay before the order expired.
        /// </summary>
        public static string ReasonFor(string code, TransactionKind kind)
        {
            if (kind == TransactionKind.SaleOrderCode && code == OrderIsClosed)
            {
                return OrderExpiredReason;
            }

            return ReasonFor(code);
        }

        /// <summary>Screen reason for an engine code or an Antom code.</summary>
        public static string ReasonFor(string code)
        {
            for (int i = 0; i < Codes.Length; i++)
            {
                if (Codes[i] == code)
                {
                    return Reasons[i];
                }
            }

            return ResultTable.ReasonAt(ResultTable.Find(code));
        }
    }
}
