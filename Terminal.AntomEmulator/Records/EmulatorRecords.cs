namespace Terminal.AntomEmulator;

/// <summary>
/// Read-only snapshots of the emulator's own view of payments, refunds and notification attempts, e.g. to compare
/// with the gateway's or terminal's records after a chaos run. Each call copies under the state lock.
/// </summary>
public sealed class EmulatorRecords
{
    private readonly EmulatorState _state;

    internal EmulatorRecords(EmulatorState state)
    {
        _state = state;
    }

    /// <summary>All payments in creation order (expired ones already closed).</summary>
    public IReadOnlyList<PaymentRecord> Payments()
    {
        lock (_state.Gate)
        {
            _state.ExpireDue(_state.Clock.GetUtcNow());
            return _state.Payments.Select(ToRecord).ToList();
        }
    }

    /// <summary>The payment of <paramref name="clientId"/> with <paramref name="paymentRequestId"/>, or null.</summary>
    public PaymentRecord? FindPayment(string clientId, string paymentRequestId)
    {
        lock (_state.Gate)
        {
            Payment? payment = _state.FindPayment(clientId, null, paymentRequestId);
            if (payment == null)
            {
                return null;
            }

            _state.Refresh(payment, _state.Clock.GetUtcNow());
            return ToRecord(payment);
        }
    }

    /// <summary>The payment with Antom id <paramref name="paymentId"/>, or null.</summary>
    public PaymentRecord? FindPaymentById(string paymentId)
    {
        lock (_state.Gate)
        {
            Payment? payment = _state.FindPaymentById(paymentId);
            if (payment == null)
            {
                return null;
            }

            _state.Refresh(payment, _state.Clock.GetUtcNow());
            return ToRecord(payment);
        }
    }

    /// <summary>All refunds in creation order.</summary>
    public IReadOnlyList<RefundRecord> Refunds()
    {
        lock (_state.Gate)
        {
            return _state.Refunds.Select(ToRecord).ToList();
        }
    }

    /// <summary>Every notifyPayment attempt so far, oldest first (kept in memory only).</summary>
    public IReadOnlyList<NotificationAttempt> Notifications()
    {
        lock (_state.Gate)
        {
            return _state.Attempts.ToList();
        }
    }

    private RefundRecord ToRecord(Refund r) =>
        new(r.ClientId, r.RefundId, r.RefundRequestId, r.PaymentId, r.Amount, r.Status, r.ResultCode, r.CreateTime, r.RefundTime);

    private PaymentRecord ToRecord(Payment p) =>
        new(p.ClientId, p.PaymentId, p.PaymentRequestId, p.Scenario, p.Amount, p.Status, p.ResultCode, p.CreateTime, p.ExpiryTime,
            p.PaymentTime, p.CancelTime, p.PaymentMethodId, p.CodeValue, p.NotifyUrl,
            _state.RefundsOf(p.PaymentId).Where(r => r.Status == RefundStatus.Success).Sum(r => r.Value), p.Notification, p.RedirectUrl);
}
