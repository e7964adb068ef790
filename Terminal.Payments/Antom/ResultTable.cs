using Terminal.Core.Text;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// Every result code of docs/antom-protocol.md section 4.2 (plus the in-store refund codes of 3.5 and the names noted
    /// there as not-Antom or renamed) with its action and a short reason for the screen. <see cref="Classify"/>
    /// combines the table with resultStatus and the API, because some codes mean different things per API
    /// (ORDER_NOT_EXIST after a pay timeout means "not arrived yet", on cancel "nothing to cancel").
    /// Codes are compared ordinally; anything not listed is <see cref="ResultAction.Unknown"/>.
    /// </summary>
    public static class ResultTable
    {
        /// <summary>Index of SUCCESS.</summary>
        public const int Success = 0;

        private static readonly string[] Codes =
        {
            "SUCCESS",
            "PAYMENT_IN_PROCESS",
            "USER_PAYING",
            "UNKNOWN_EXCEPTION",
            "REQUEST_TRAFFIC_EXCEED_LIMIT",
            "REFUND_IN_PROCESS",
            "INVALID_PAYMENT_CODE",
            "INVALID_CODE",
            "EXPIRED_CODE",
            "ORDER_IS_CLOSED",
            "ORDER_IS_CANCELED",
            "USER_BALANCE_NOT_ENOUGH",
            "USER_NOT_EXIST",
            "NO_PAY_OPTION",
            "NO_PAY_OPTIONS",
            "PAYMENT_NOT_EXIST",
            "ORDER_NOT_EXIST",
            "REPEAT_REQ_INCONSISTENT",
            "USER_KYC_NOT_QUALIFIED",
            "RISK_REJECT",
            "FRAUD_REJECT",
            "USER_STATUS_ABNORMAL",
            "USER_PAYMENT_VERIFICATION_FAILED",
            "PAYMENT_AMOUNT_EXCEED_LIMIT",
            "PAYMENT_COUNT_EXCEED_LIMIT",
            "USER_AMOUNT_EXCEED_LIMIT",
            "PROCESS_FAIL",
            "CANCEL_WINDOW_EXCEED",
            "ORDER_STATUS_INVALID",
            "REFUND_AMOUNT_EXCEED",
            "REFUND_WINDOW_EXCEED",
            "MULTIPLE_REFUNDS_NOT_SUPPORTED",
            "PARAM_ILLEGAL",
            "CURRENCY_NOT_SUPPORT",
            "ACCESS_DENIED",
            "SETTLE_CONTRACT_NOT_MATCH",
            "INVALID_CONTRACT",
            "INVALID_MERCHANT_STATUS",
            "MERCHANT_NOT_REGISTERED",
            "MERCHANT_KYB_NOT_QUALIFIED",
            "INVALID_SIGNATURE",
            "KEY_NOT_FOUND",
            "NO_INTERFACE_DEF",
            "MEDIA_TYPE_NOT_ACCEPTABLE",
            "METHOD_NOT_SUPPORTED",
            "CLIENT_INVALID",
            "INVALID_CLIENT",
            "INVALID_CLIENT_STATUS",
            "UNKNOWN_CLIENT",
            "CLIENT_FORBIDDEN_ACCESS_API",
        };

        private static readonly byte[] Actions =
        {
            (byte)ResultAction.FinalSuccess, // SUCCESS
            (byte)ResultAction.Poll, // PAYMENT_IN_PROCESS
            (byte)ResultAction.Poll, // USER_PAYING
            (byte)ResultAction.RetrySameId, // UNKNOWN_EXCEPTION
            (byte)ResultAction.BackOff, // REQUEST_TRAFFIC_EXCEED_LIMIT
            (byte)ResultAction.Poll, // REFUND_IN_PROCESS
            (byte)ResultAction.NeedsNewId, // INVALID_PAYMENT_CODE
            (byte)ResultAction.NeedsNewId, // INVALID_CODE
            (byte)ResultAction.NeedsNewId, // EXPIRED_CODE
            (byte)ResultAction.NeedsNewId, // ORDER_IS_CLOSED
            (byte)ResultAction.NeedsNewId, // ORDER_IS_CANCELED
            (byte)ResultAction.FinalFail, // USER_BALANCE_NOT_ENOUGH
            (byte)ResultAction.FinalFail, // USER_NOT_EXIST
            (byte)ResultAction.FinalFail, // NO_PAY_OPTION
            (byte)ResultAction.FinalFail, // NO_PAY_OPTIONS
            (byte)ResultAction.FinalFail, // PAYMENT_NOT_EXIST
            (byte)ResultAction.FinalFail, // ORDER_NOT_EXIST
            (byte)ResultAction.FinalFail, // REPEAT_REQ_INCONSISTENT
            (byte)ResultAction.FinalFail, // USER_KYC_NOT_QUALIFIED
            (byte)ResultAction.FinalFail, // RISK_REJECT
            (byte)ResultAction.FinalFail, // FRAUD_REJECT
            (byte)ResultAction.FinalFail, // USER_STATUS_ABNORMAL
            (byte)ResultAction.FinalFail, // USER_PAYMENT_VERIFICATION_FAILED
            (byte)ResultAction.FinalFail, // PAYMENT_AMOUNT_EXCEED_LIMIT
            (byte)ResultAction.FinalFail, // PAYMENT_COUNT_EXCEED_LIMIT
            (byte)ResultAction.FinalFail, // USER_AMOUNT_EXCEED_LIMIT
            (byte)ResultAction.FinalFail, // PROCESS_FAIL
            (byte)ResultAction.FinalFail, // CANCEL_WINDOW_EXCEED
            (byte)ResultAction.FinalFail, // ORDER_STATUS_INVALID
            (byte)ResultAction.FinalFail, // REFUND_AMOUNT_EXCEED
            (byte)ResultAction.FinalFail, // REFUND_WINDOW_EXCEED
            (byte)ResultAction.FinalFail, // MULTIPLE_REFUNDS_NOT_SUPPORTED
            (byte)ResultAction.ConfigurationError, // PARAM_ILLEGAL
            (byte)ResultAction.ConfigurationError, // CURRENCY_NOT_SUPPORT
            (byte)ResultAction.ConfigurationError, // ACCESS_DENIED
            (byte)ResultAction.ConfigurationError, // SETTLE_CONTRACT_NOT_MATCH
            (byte)ResultAction.ConfigurationError, // INVALID_CONTRACT
            (byte)ResultAction.ConfigurationError, // INVALID_MERCHANT_STATUS
            (byte)ResultAction.ConfigurationError, // MERCHANT_NOT_REGISTERED
            (byte)ResultAction.ConfigurationError, // MERCHANT_KYB_NOT_QUALIFIED
            (byte)ResultAction.ConfigurationError, // INVALID_SIGNATURE
            (byte)ResultAction.ConfigurationError, // KEY_NOT_FOUND
            (byte)ResultAction.ConfigurationError, // NO_INTERFACE_DEF
            (byte)ResultAction.ConfigurationError, // MEDIA_TYPE_NOT_ACCEPTABLE
            (byte)ResultAction.ConfigurationError, // METHOD_NOT_SUPPORTED
            (byte)ResultAction.ConfigurationError, // CLIENT_INVALID
            (byte)ResultAction.ConfigurationError, // INVALID_CLIENT
            (byte)ResultAction.ConfigurationError, // INVALID_CLIENT_STATUS
            (byte)ResultAction.ConfigurationError, // UNKNOWN_CLIENT
            (byte)ResultAction.ConfigurationError, // CLIENT_FORBIDDEN_ACCESS_API
        };

        private static readonly string[] Reasons =
        {
            "Approved",
            "Customer is confirming the payment",
            "Customer is confirming the payment",
            "Result unknown: checking",
            "Provider busy: retrying",
            "Refund in process",
            "Invalid code: ask the customer to refresh the code",
            "Invalid code: ask the customer to refresh the code",
            "Code expired: ask the customer to refresh the code",
            "Order closed: start a new sale",
            "Order cancelled: start a new sale",
            "Insufficient balance: use another payment method",
            "Customer account not found",
            "No usable payment method in the wallet",
            "No usable payment method in the wallet",
            "Payment not found",
            "Order not found",
            "Request conflict: start a new sale",
            "Customer account not verified",
            "Declined by risk control",
            "Declined by fraud control",
            "Customer account restricted",
            "Customer verification failed",
            "Amount over the limit",
            "Payment count limit reached",
            "Customer's limit exceeded",
            "Payment failed: do not retry, check manually",
            "Too late to cancel: refund instead",
            "Payment state does not allow this",
            "Refund exceeds the paid amount",
            "Too late to refund",
            "Wallet allows only one refund",
            "Request rejected: check configuration",
            "Currency not supported: contact support",
            "Access denied: contact support",
            "Settlement contract mismatch: contact support",
            "Invalid merchant contract: contact support",
            "Merchant account not active: contact support",
            "Merchant not registered: contact support",
            "Merchant verification incomplete: contact support",
            "Signature rejected: check the device key",
            "Key not found: check the key version",
            "Unknown API: check the gateway URL",
            "Content type rejected: check the gateway",
            "Method rejected: check the gateway",
            "Device not accepted: check the device id",
            "Device not accepted: check the device id",
            "Device not active at the gateway",
            "Device unknown to the gateway",
            "Device may not use this API",
        };

        /// <summary>Number of codes in the table.</summary>
        public static int Count
        {
            get { return Codes.Length; }
        }

        /// <summary>Code at <paramref name="index"/>.</summary>
        public static string CodeAt(int index)
        {
            return Codes[index];
        }

        /// <summary>Index of the code, or -1 when it is not in the table.</summary>
        public static int Find(TextField code)
        {
            for (int i = 0; i < Codes.Length; i++)
            {
                if (code.EqualsAscii(Codes[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Index of the code, or -1.</summary>
        public static int Find(string code)
        {
            for (int i = 0; i < Codes.Length; i++)
            {
                if (Codes[i] == code)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The table's action for a code index, before status and API are considered.</summary>
        public static ResultAction ActionAt(int index)
        {
            return index < 0 ? ResultAction.Unknown : (ResultAction)Actions[index];
        }

        /// <summary>The human reason for a code index; a generic text for unknown codes.</summary>
        public static string ReasonAt(int index)
        {
            return index < 0 ? "Unrecognised result: checking" : Reasons[index];
        }

        /// <summary>
        /// The action for a verified response: resultStatus ('S', 'F', 'U'; 0 when absent), the code's table
        /// index and the API that answered.
        /// <list type="bullet">
        /// <item>S is success only together with the code SUCCESS.</item>
        /// <item>U is never final: in-process, retry and back-off codes keep their action, anything else is unknown.</item>
        /// <item>F is final only for codes the table calls final; F with an unlisted or non-final code is unknown.</item>
        /// <item>inquiryPayment and inquiryRefund: ORDER_NOT_EXIST / PAYMENT_NOT_EXIST mean the request has not
        ///       arrived (yet): keep polling (legacy in-store SDK, docs/antom-protocol.md 4.3).</item>
        /// <item>cancel: ORDER_NOT_EXIST / PAYMENT_NOT_EXIST mean there is nothing to cancel: done.</item>
        /// </list>
        /// </summary>
        public static ResultAction Classify(byte resultStatus, int codeIndex, AntomApi api)
        {
            ResultAction action = ActionAt(codeIndex);
            if (resultStatus == (byte)'S')
            {
                return codeIndex == Success ? ResultAction.FinalSuccess : ResultAction.Unknown;
            }

            if (resultStatus == (byte)'U')
            {
                bool nonFinal = action == ResultAction.Poll || action == ResultAction.RetrySameId || action == ResultAction.BackOff;
                return nonFinal ? action : ResultAction.Unknown;
            }

            if (resultStatus != (byte)'F')
            {
                return ResultAction.Unknown;
            }

            if (IsNotFound(codeIndex))
            {
                if (api == AntomApi.InquiryPayment || api == AntomApi.InquiryRefund)
                {
                    return ResultAction.Poll;
                }

                if (api == AntomApi.Cancel)
                {
                    return ResultAction.FinalSuccess;
                }
            }

            bool final = action == ResultAction.FinalFail || action == ResultAction.NeedsNewId || action == ResultAction.ConfigurationError;
            return final ? action : ResultAction.Unknown;
        }

        /// <summary>True for ORDER_NOT_EXIST and PAYMENT_NOT_EXIST.</summary>
        public static bool IsNotFound(int codeIndex)
        {
            return codeIndex >= 0 && (Codes[codeIndex] == "ORDER_NOT_EXIST" || Codes[codeIndex] == "PAYMENT_NOT_EXIST");
        }
    }
}
