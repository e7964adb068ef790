using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>refund and inquiryRefund (docs/antom-protocol.md sections 3.5, 3.6).</summary>
internal sealed class RefundService
{
    private readonly EmulatorState _state;

    public RefundService(EmulatorState state)
    {
        _state = state;
    }

    public byte[] Refund(string clientId, JsonElement root)
    {
        string refundRequestId = JsonFields.RequiredId(root, "refundRequestId");
        string paymentId = JsonFields.RequiredString(root, "paymentId", 64);
        AntomAmount amount = JsonFields.RequiredAmount(root, "refundAmount", _state.Options.EnforceIdrRounding);
        JsonFields.OptionalString(root, "referenceRefundId", 64);
        JsonFields.OptionalString(root, "refundReason", 256);
        JsonFields.OptionalString(root, "refundNotifyUrl", 1024);
        JsonFields.OptionalString(root, "refundRequestTime", 64); // sent by the legacy in-store SDKs

        lock (_state.Gate)
        {
            DateTimeOffset now = _state.Clock.GetUtcNow();
            Refund? existing = _state.FindRefund(clientId, null, refundRequestId);
            if (existing != null)
            {
                return existing.PaymentId == paymentId && existing.Amount == amount
                    ? _state.Responses.RefundAnswer(existing, _state.FindPaymentById(paymentId)!)
                    : ResponseFactory.Failure(ResultCodes.RepeatReqInconsistent,
                        "refundRequestId was already used with a different paymentId or refundAmount");
            }

            Payment? payment = _state.FindPayment(clientId, paymentId, null);
            if (payment == null)
            {
                return ResponseFactory.Failure(ResultCodes.OrderNotExist, "order not exist");
            }

            _state.Refresh(payment, now);
            switch (payment.Status)
            {
                case PaymentStatus.Cancelled:
                    return ResponseFactory.Failure(ResultCodes.OrderIsCanceled, "the payment was cancelled");
                case PaymentStatus.Fail when payment.ResultCode == ResultCodes.OrderIsClosed:
                    return ResponseFactory.Failure(ResultCodes.OrderIsClosed, "the payment was closed unpaid");
                case PaymentStatus.Fail:
                case PaymentStatus.Processing:
                    return ResponseFactory.Failure(ResultCodes.OrderStatusInvalid, "only a successful payment can be refunded");
            }

            if (amount.Currency != payment.Currency)
            {
                throw AntomFailure.ParamIllegal($"refundAmount.currency must be the payment currency {payment.Currency}");
            }

            if (now - payment.PaymentTime!.Value > _state.Options.RefundWindow)
            {
                return ResponseFactory.Failure(ResultCodes.RefundWindowExceed, "the refund window has passed");
            }

            // PROCESSING refunds hold their amount, so concurrent partial refunds cannot exceed the payment.
            var live = _state.RefundsOf(payment.PaymentId).Where(r => r.Status != RefundStatus.Fail).ToList();
            if (!_state.Options.AllowMultipleRefunds && live.Count > 0)
            {
                return ResponseFactory.Failure(ResultCodes.MultipleRefundsNotSupported, "the wallet supports one refund per payment");
            }

            long refundable = payment.Value - live.Sum(r => r.Value);
            if (amount.Value > refundable)
            {
                return ResponseFactory.Failure(ResultCodes.RefundAmountExceed,
                    $"refundAmount exceeds the refundable amount ({refundable} {payment.Currency} minor units left)");
            }

            var refund = new Refund
            {
                ClientId = clientId,
                RefundId = _state.Ids.NextRefundId(now),
                RefundRequestId = refundRequestId,
                PaymentId = payment.PaymentId,
                Currency = amount.Currency,
                Value = amount.Value,
                CreateTime = now,
            };
            if (_state.DeferRefunds)
            {
                refund.Status = RefundStatus.Processing;
                refund.ResultCode = ResultCodes.RefundInProcess;
                refund.ResultMessage = "refund in process";
            }
            else
            {
                refund.Status = RefundStatus.Success;
                refund.RefundTime = now;
            }

            _state.AddRefund(refund);
            return _state.Responses.RefundAnswer(refund, payment);
        }
    }

    public byte[] Inquire(string clientId, JsonElement root)
    {
        string? refundId = JsonFields.OptionalString(root, "refundId", 64);
        string? refundRequestId = JsonFields.OptionalId(root, "refundRequestId");
        if (refundId == null && refundRequestId == null)
        {
            throw AntomFailure.ParamIllegal("refundId or refundRequestId is required");
        }

        lock (_state.Gate)
        {
            Refund? refund = _state.FindRefund(clientId, refundId, refundRequestId);
            return refund == null
                ? ResponseFactory.Failure(ResultCodes.RefundNotExist, "refund not exist")
                : _state.Responses.RefundInquiry(refund, _state.FindPaymentById(refund.PaymentId)!);
        }
    }
}
