namespace Terminal.AntomEmulator;

/// <summary>What a wallet action did.</summary>
public enum WalletResult
{
    /// <summary>Done: the payment or refund moved on.</summary>
    Completed,
    /// <summary>No payment (or refund) has this code or id.</summary>
    UnknownCode,
    /// <summary>The payment is not waiting for the customer any more (already paid, failed or cancelled), or the
    /// payment code has not been charged yet.</summary>
    NotAwaitingCustomer,
    /// <summary>The payment closed at its expiry time before the customer acted.</summary>
    Expired,
}

/// <summary>
/// The simulated customer and wallet: issues payment codes with a chosen outcome, pays, declines or abandons
/// order codes, confirms PaymentCode payments that wait for the customer, and settles deferred refunds.
/// Thread-safe.
/// </summary>
public sealed class EmulatorWallet
{
    private readonly EmulatorState _state;

    internal EmulatorWallet(EmulatorState state)
    {
        _state = state;
    }

    /// <summary>
    /// When true, refunds answer U/REFUND_IN_PROCESS and stay PROCESSING until <see cref="SettleRefund"/>;
    /// when false (default) they succeed at once.
    /// </summary>
    public bool DeferRefunds
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.DeferRefunds;
            }
        }

        set
        {
            lock (_state.Gate)
            {
                _state.DeferRefunds = value;
            }
        }
    }

    /// <summary>
    /// Issues a fresh, single-use payment code as the customer's wallet would show it. Charging it after
    /// <paramref name="lifetime"/> (default <see cref="AntomEmulatorOptions.PaymentCodeLifetime"/>) gives EXPIRED_CODE.
    /// </summary>
    /// <param name="outcome">What pay does with it; default <see cref="PaymentCodeOutcome.Success"/>.</param>
    /// <param name="format">24-digit mainstream (default) or a legacy 28-prefixed format.</param>
    /// <param name="lifetime">Validity from now (emulator clock).</param>
    public string IssuePaymentCode(PaymentCodeOutcome? outcome = null, PaymentCodeFormat format = PaymentCodeFormat.Mainstream24, TimeSpan? lifetime = null)
    {
        outcome ??= PaymentCodeOutcome.Success;
        lock (_state.Gate)
        {
            DateTimeOffset now = _state.Clock.GetUtcNow();
            string code;
            do
            {
                code = PaymentCodes.Generate(format, _state.Ids.Random);
            }
            while (_state.FindIssuedCode(code) != null || _state.FindByPaymentCode(code) != null);

            _state.AddIssuedCode(new IssuedCode
            {
                Code = code,
                Outcome = outcome.Kind,
                DeclineCode = outcome.DeclineCode,
                IssuedAt = now,
                ExpiresAt = now + (lifetime ?? _state.Options.PaymentCodeLifetime),
            });
            return code;
        }
    }

    /// <summary>The customer confirms a PaymentCode payment that answered PAYMENT_IN_PROCESS: it becomes SUCCESS.</summary>
    public WalletResult ConfirmPaymentCode(string paymentCode) => ActOnPaymentCode(paymentCode, null);

    /// <summary>The customer's wallet declines a waiting PaymentCode payment: it becomes FAIL with <paramref name="resultCode"/>.</summary>
    public WalletResult DeclinePaymentCode(string paymentCode, string resultCode = ResultCodes.UserBalanceNotEnough) =>
        ActOnPaymentCode(paymentCode, PaymentCodeOutcome.ValidResultCode(resultCode));

    /// <summary>The customer scans the order code (<c>codeValue</c>, or an EntryCode <c>redirectUrl</c>) and pays.</summary>
    public WalletResult PayOrderCode(string codeValue) => ActOnOrderCode(codeValue, OrderCodeAction.Pay, null);

    /// <summary>The customer scans the order code and the wallet declines: FAIL with <paramref name="resultCode"/>.</summary>
    public WalletResult DeclineOrderCode(string codeValue, string resultCode = ResultCodes.UserBalanceNotEnough) =>
        ActOnOrderCode(codeValue, OrderCodeAction.Decline, PaymentCodeOutcome.ValidResultCode(resultCode));

    /// <summary>
    /// The customer scans the order code and walks away: the payment stays PROCESSING (now with a known customer)
    /// until its expiry, then FAIL with ORDER_IS_CLOSED.
    /// </summary>
    public WalletResult AbandonOrderCode(string codeValue) => ActOnOrderCode(codeValue, OrderCodeAction.Abandon, null);

    /// <summary>
    /// Where the wallet sends the customer's browser once the order code's payment is done: the pay request's
    /// <c>paymentRedirectUrl</c> exactly as given, after the customer paid or the wallet declined [choice: Antom documents
    /// no parameters added to it]. Null while the payment still waits for the customer, after it closed at expiry or was
    /// cancelled (the customer finished nothing), for an unknown code, or when the pay request had no redirect URL.
    /// A merchant page must never take this visit as proof of payment: it asks its own records (Antom's step 6).
    /// </summary>
    public string? CustomerRedirectUrl(string codeValue)
    {
        ArgumentNullException.ThrowIfNull(codeValue);
        lock (_state.Gate)
        {
            Payment? payment = _state.FindByCodeValue(codeValue);
            if (payment == null)
            {
                return null;
            }

            _state.Refresh(payment, _state.Clock.GetUtcNow());
            bool customerFinished = payment.Status == PaymentStatus.Success ||
                (payment.Status == PaymentStatus.Fail && payment.ResultCode != ResultCodes.OrderIsClosed);
            return customerFinished ? payment.RedirectUrl : null;
        }
    }

    /// <summary>Settles a PROCESSING refund (see <see cref="DeferRefunds"/>) as SUCCESS or as FAIL with <paramref name="resultCode"/>.</summary>
    public WalletResult SettleRefund(string refundId, bool success, string resultCode = ResultCodes.ProcessFail)
    {
        PaymentCodeOutcome.ValidResultCode(resultCode);
        lock (_state.Gate)
        {
            Refund? refund = _state.FindRefundById(refundId);
            if (refund == null)
            {
                return WalletResult.UnknownCode;
            }

            if (refund.Status != RefundStatus.Processing)
            {
                return WalletResult.NotAwaitingCustomer;
            }

            if (success)
            {
                refund.Status = RefundStatus.Success;
                refund.RefundTime = _state.Clock.GetUtcNow();
                refund.ResultCode = ResultCodes.Success;
                refund.ResultMessage = "success";
            }
            else
            {
                refund.Status = RefundStatus.Fail;
                refund.ResultCode = resultCode;
                refund.ResultMessage = PaymentService.DeclineMessage(resultCode);
            }

            _state.SaveRefund(refund);
            return WalletResult.Completed;
        }
    }

    private enum OrderCodeAction
    {
        Pay,
        Decline,
        Abandon,
    }

    private WalletResult ActOnPaymentCode(string paymentCode, string? declineCode)
    {
        ArgumentNullException.ThrowIfNull(paymentCode);
        lock (_state.Gate)
        {
            Payment? payment = _state.FindByPaymentCode(paymentCode);
            if (payment == null)
            {
                return _state.FindIssuedCode(paymentCode) != null ? WalletResult.NotAwaitingCustomer : WalletResult.UnknownCode;
            }

            return Settle(payment, declineCode);
        }
    }

    private WalletResult ActOnOrderCode(string codeValue, OrderCodeAction action, string? declineCode)
    {
        ArgumentNullException.ThrowIfNull(codeValue);
        lock (_state.Gate)
        {
            Payment? payment = _state.FindByCodeValue(codeValue);
            if (payment == null)
            {
                return WalletResult.UnknownCode;
            }

            if (action == OrderCodeAction.Abandon)
            {
                WalletResult status = Waiting(payment);
                if (status == WalletResult.Completed)
                {
                    PaymentService.AssignCustomer(_state, payment);
                    _state.SavePayment(payment);
                }

                return status;
            }

            return Settle(payment, action == OrderCodeAction.Decline ? declineCode : null);
        }
    }

    private WalletResult Settle(Payment payment, string? declineCode)
    {
        WalletResult status = Waiting(payment);
        if (status != WalletResult.Completed)
        {
            return status;
        }

        PaymentService.AssignCustomer(_state, payment);
        if (declineCode == null)
        {
            _state.Complete(payment, _state.Clock.GetUtcNow());
        }
        else
        {
            _state.Fail(payment, declineCode, PaymentService.DeclineMessage(declineCode));
        }

        return WalletResult.Completed;
    }

    private WalletResult Waiting(Payment payment)
    {
        _state.Refresh(payment, _state.Clock.GetUtcNow());
        if (payment.Status == PaymentStatus.Processing)
        {
            return WalletResult.Completed;
        }

        return payment.Status == PaymentStatus.Fail && payment.ResultCode == ResultCodes.OrderIsClosed
            ? WalletResult.Expired
            : WalletResult.NotAwaitingCustomer;
    }
}
