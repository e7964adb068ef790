using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>pay, inquiryPayment and cancel.</summary>
internal sealed class PaymentService
{
    private readonly EmulatorState _state;

    public PaymentService(EmulatorState state)
    {
        _state = state;
    }

    private AntomEmulatorOptions Options => _state.Options;

    public byte[] Pay(string clientId, JsonElement root)
    {
        var request = PayRequest.Parse(root, Options.EnforceIdrRounding);
        lock (_state.Gate)
        {
            DateTimeOffset now = _state.Clock.GetUtcNow();
            if (request.ExpiryTime is DateTimeOffset requestedExpiry && requestedExpiry <= now)
            {
                throw AntomFailure.ParamIllegal("paymentExpiryTime must be in the future");
            }

            Payment? existing = _state.FindPayment(clientId, null, request.PaymentRequestId);
            if (existing != null)
            {
                _state.Refresh(existing, now);
                bool sameKeyFields = existing.Amount == request.Amount &&
                    existing.Scenario == request.Scenario &&
                    existing.PaymentMethodId == request.PaymentMethodId;
                return sameKeyFields
                    ? _state.Responses.PayAnswer(existing)
                    : ResponseFactory.Failure(ResultCodes.RepeatReqInconsistent,
                        "paymentRequestId was already used with a different paymentAmount, paymentMethodId or scenario");
            }

            var payment = new Payment
            {
                ClientId = clientId,
                PaymentId = _state.Ids.NextPaymentId(now),
                PaymentRequestId = request.PaymentRequestId,
                Scenario = request.Scenario,
                Currency = request.Amount.Currency,
                Value = request.Amount.Value,
                PaymentMethodId = request.PaymentMethodId,
                NotifyUrl = request.NotifyUrl,
                RedirectUrl = request.RedirectUrl,
                CreateTime = now,
                Status = PaymentStatus.Processing,
                WalletCurrency = Options.WalletCurrency,
                SettlementCurrency = request.SettlementCurrency ?? Options.SettlementCurrency ?? request.Amount.Currency,
                PspName = Options.PspName,
            };

            if (request.Scenario == PaymentScenario.PaymentCode)
            {
                payment.ExpiryTime = request.ExpiryTime ?? now + Options.PaymentCodeConfirmationTimeout;
                ChargePaymentCode(payment, request.PaymentMethodId!, now);
            }
            else
            {
                payment.ExpiryTime = request.ExpiryTime ?? now + Options.OrderCodeLifetime;
                payment.CodeValue = NewCodeValue();
            }

            // A failure answered by pay itself is not notified; a success is (docs/antom-protocol.md section 3.7).
            _state.AddPayment(payment, notifyIfFinal: payment.Status == PaymentStatus.Success);
            return _state.Responses.PayAnswer(payment);
        }
    }

    public byte[] Inquire(string clientId, JsonElement root)
    {
        string? paymentId = JsonFields.OptionalString(root, "paymentId", 64);
        string? paymentRequestId = JsonFields.OptionalId(root, "paymentRequestId");
        if (paymentId == null && paymentRequestId == null)
        {
            throw AntomFailure.ParamIllegal("paymentId or paymentRequestId is required");
        }

        lock (_state.Gate)
        {
            Payment? payment = _state.FindPayment(clientId, paymentId, paymentRequestId);
            if (payment == null)
            {
                return ResponseFactory.Failure(ResultCodes.OrderNotExist, "order not exist");
            }

            _state.Refresh(payment, _state.Clock.GetUtcNow());
            return _state.Responses.Inquiry(payment, _state.RefundsOf(payment.PaymentId));
        }
    }

    public byte[] Cancel(string clientId, JsonElement root)
    {
        string? paymentId = JsonFields.OptionalString(root, "paymentId", 64);
        string? paymentRequestId = JsonFields.OptionalId(root, "paymentRequestId");
        if (paymentId == null && paymentRequestId == null)
        {
            throw AntomFailure.ParamIllegal("paymentId or paymentRequestId is required");
        }

        lock (_state.Gate)
        {
            DateTimeOffset now = _state.Clock.GetUtcNow();
            Payment? payment = _state.FindPayment(clientId, paymentId, paymentRequestId);
            if (payment == null)
            {
                return ResponseFactory.Failure(ResultCodes.OrderNotExist, "order not exist");
            }

            _state.Refresh(payment, now);
            if (payment.Status == PaymentStatus.Cancelled)
            {
                return _state.Responses.Cancelled(payment); // cancel is idempotent: retry until S
            }

            if (now - payment.CreateTime > Options.CancelWindow)
            {
                return ResponseFactory.Failure(ResultCodes.CancelWindowExceed, "the cancel window has passed; refund instead");
            }

            if (_state.RefundsOf(payment.PaymentId).Count > 0)
            {
                return ResponseFactory.Failure(ResultCodes.OrderStatusInvalid, "the payment has refunds and cannot be cancelled");
            }

            // PROCESSING stops waiting for the customer, SUCCESS is reversed, FAIL becomes CANCELLED too, so that a
            // client following "retry cancel until S" always ends (docs/antom-emulator.md).
            _state.Cancel(payment, now);
            return _state.Responses.Cancelled(payment);
        }
    }

    private void ChargePaymentCode(Payment payment, string code, DateTimeOffset now)
    {
        if (!PaymentCodes.IsWellFormed(code))
        {
            payment.Status = PaymentStatus.Fail;
            payment.ResultCode = ResultCodes.InvalidPaymentCode;
            payment.ResultMessage = "the payment code is not valid; ask the customer to refresh it";
            return;
        }

        PaymentCodeOutcome outcome = Options.UnissuedPaymentCodeOutcome;
        IssuedCode? issued = _state.FindIssuedCode(code);
        if (issued != null)
        {
            if (issued.UsedByPaymentId != null)
            {
                payment.Status = PaymentStatus.Fail;
                payment.ResultCode = ResultCodes.InvalidPaymentCode;
                payment.ResultMessage = "the payment code was already used";
                return;
            }

            if (now >= issued.ExpiresAt)
            {
                payment.Status = PaymentStatus.Fail;
                payment.ResultCode = ResultCodes.ExpiredCode;
                payment.ResultMessage = "the payment code has expired; ask the customer to refresh it";
                return;
            }

            issued.UsedByPaymentId = payment.PaymentId;
            _state.SaveIssuedCode(issued);
            outcome = PaymentCodeOutcome.From(issued.Outcome, issued.DeclineCode);
        }

        AssignCustomer(_state, payment);
        switch (outcome.Kind)
        {
            case PaymentCodeOutcomeKind.Success:
                payment.Status = PaymentStatus.Success;
                payment.PaymentTime = now;
                payment.ResultCode = ResultCodes.Success;
                payment.ResultMessage = "success";
                break;
            case PaymentCodeOutcomeKind.Decline:
                payment.Status = PaymentStatus.Fail;
                payment.ResultCode = outcome.DeclineCode!;
                payment.ResultMessage = DeclineMessage(outcome.DeclineCode!);
                break;
            default:
                payment.ResultCode = ResultCodes.PaymentInProcess;
                payment.ResultMessage = "payment in process: waiting for the customer to confirm";
                break;
        }
    }

    internal static void AssignCustomer(EmulatorState state, Payment payment)
    {
        if (payment.PspCustomerId != null)
        {
            return;
        }

        long number = state.Ids.Random.NextInt64(100_000_000_000L, 1_000_000_000_000L);
        payment.PspCustomerId = "2088" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        payment.DisplayCustomerId = "emu***" + (number % 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "@wallet.test";
    }

    internal static string DeclineMessage(string resultCode) =>
        resultCode == ResultCodes.UserBalanceNotEnough
            ? "user balance not enough"
            : resultCode.ToLowerInvariant().Replace('_', ' ');

    private string NewCodeValue()
    {
        string baseUrl = Options.OrderCodeBaseUrl.TrimEnd('/');
        while (true)
        {
            string codeValue = baseUrl + "/281" + _state.Ids.Token(21);
            if (!_state.IsCodeValueTaken(codeValue))
            {
                return codeValue;
            }
        }
    }
}
