namespace Terminal.AntomEmulator;

/// <summary>
/// The <c>result.resultCode</c> values the emulator emits (docs/antom-protocol.md section 4.2). Codes marked
/// [uncertain] there are the emulator's choice where Antom's own is undocumented; docs/antom-emulator.md lists them.
/// </summary>
public static class ResultCodes
{
#pragma warning disable CS1591 // the names are the documentation
    public const string Success = "SUCCESS";
    public const string PaymentInProcess = "PAYMENT_IN_PROCESS";
    public const string RefundInProcess = "REFUND_IN_PROCESS";
    public const string UnknownException = "UNKNOWN_EXCEPTION";
    public const string RequestTrafficExceedLimit = "REQUEST_TRAFFIC_EXCEED_LIMIT";
    public const string ParamIllegal = "PARAM_ILLEGAL";
    public const string InvalidSignature = "INVALID_SIGNATURE";
    public const string KeyNotFound = "KEY_NOT_FOUND";
    public const string UnknownClient = "UNKNOWN_CLIENT";
    public const string NoInterfaceDef = "NO_INTERFACE_DEF";
    public const string MethodNotSupported = "METHOD_NOT_SUPPORTED";
    public const string MediaTypeNotAcceptable = "MEDIA_TYPE_NOT_ACCEPTABLE";
    public const string InvalidPaymentCode = "INVALID_PAYMENT_CODE";
    public const string ExpiredCode = "EXPIRED_CODE";
    public const string UserBalanceNotEnough = "USER_BALANCE_NOT_ENOUGH";
    public const string RepeatReqInconsistent = "REPEAT_REQ_INCONSISTENT";
    public const string OrderNotExist = "ORDER_NOT_EXIST";
    public const string OrderIsClosed = "ORDER_IS_CLOSED";
    public const string OrderIsCanceled = "ORDER_IS_CANCELED";
    public const string OrderStatusInvalid = "ORDER_STATUS_INVALID";
    public const string CancelWindowExceed = "CANCEL_WINDOW_EXCEED";
    public const string RefundAmountExceed = "REFUND_AMOUNT_EXCEED";
    public const string RefundWindowExceed = "REFUND_WINDOW_EXCEED";
    public const string MultipleRefundsNotSupported = "MULTIPLE_REFUNDS_NOT_SUPPORTED";
    public const string RefundNotExist = "REFUND_NOT_EXIST";
    public const string CurrencyNotSupport = "CURRENCY_NOT_SUPPORT";
    public const string ProcessFail = "PROCESS_FAIL";
#pragma warning restore CS1591
}
