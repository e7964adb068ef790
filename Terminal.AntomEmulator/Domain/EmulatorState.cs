namespace Terminal.AntomEmulator;

/// <summary>Receives payments that reached a final status and must be notified.</summary>
internal interface INotificationQueue
{
    void Enqueue(NotificationJob job);
}

/// <summary>One notifyPayment to deliver: the body is fixed, each attempt gets a fresh Request-Time and signature.</summary>
internal sealed record NotificationJob(string ClientId, string PaymentId, string Url, byte[] Body);

/// <summary>
/// All payments, refunds and issued codes with their indexes, and the status transitions. One lock
/// (<see cref="Gate"/>) guards everything; callers take it, this class assumes it is held.
/// </summary>
internal sealed class EmulatorState : IDisposable
{
    private readonly Dictionary<(string ClientId, string RequestId), Payment> _paymentsByRequest = new();
    private readonly Dictionary<string, Payment> _paymentsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Payment> _paymentsByCodeValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Payment> _latestPaymentByPaymentCode = new(StringComparer.Ordinal);
    private readonly HashSet<Payment> _processing = new();
    private readonly Dictionary<string, IssuedCode> _issuedCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ClientId, string RequestId), Refund> _refundsByRequest = new();
    private readonly Dictionary<string, Refund> _refundsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Refund>> _refundsByPayment = new(StringComparer.Ordinal);
    private readonly List<Payment> _paymentsInOrder = new();
    private readonly List<Refund> _refundsInOrder = new();
    private readonly List<NotificationAttempt> _attempts = new();
    private readonly IStateStore _store;

    public EmulatorState(AntomEmulatorOptions options, EmulatorClock clock, IStateStore store)
    {
        Options = options;
        Clock = clock;
        _store = store;
        Ids = new IdGenerator(options.Seed);
        Responses = new ResponseFactory(options.TimeZoneOffset);
    }

    public Lock Gate { get; } = new();

    public AntomEmulatorOptions Options { get; }

    public EmulatorClock Clock { get; }

    public IdGenerator Ids { get; }

    public ResponseFactory Responses { get; }

    public INotificationQueue? Notifications { get; set; }

    /// <summary>Refunds answer U/REFUND_IN_PROCESS and stay PROCESSING until settled through the wallet.</summary>
    public bool DeferRefunds { get; set; }

    public IReadOnlyList<Payment> Payments => _paymentsInOrder;

    public IReadOnlyList<Refund> Refunds => _refundsInOrder;

    public IReadOnlyList<NotificationAttempt> Attempts => _attempts;

    /// <summary>Rebuilds the indexes from a store at start; pending notifications are queued again.</summary>
    public void Restore(StoredState stored)
    {
        foreach (var payment in stored.Payments)
        {
            Index(payment);
            Ids.SeeExisting(payment.PaymentId);
        }

        foreach (var refund in stored.Refunds)
        {
            IndexRefund(refund);
            Ids.SeeExisting(refund.RefundId);
        }

        foreach (var code in stored.Codes)
        {
            _issuedCodes[code.Code] = code;
        }

        foreach (var payment in stored.Payments)
        {
            if (payment.Notification == NotificationState.Pending)
            {
                QueueNotification(payment);
            }
        }
    }

    public Payment? FindPayment(string clientId, string? paymentId, string? paymentRequestId)
    {
        // paymentId wins when both are given (docs/antom-protocol.md sections 3.3, 3.4).
        if (paymentId != null)
        {
            return _paymentsById.TryGetValue(paymentId, out var byId) && byId.ClientId == clientId ? byId : null;
        }

        return paymentRequestId != null && _paymentsByRequest.TryGetValue((clientId, paymentRequestId), out var byRequest) ? byRequest : null;
    }

    public Payment? FindPaymentById(string paymentId) => _paymentsById.GetValueOrDefault(paymentId);

    public Payment? FindByCodeValue(string codeValue) => _paymentsByCodeValue.GetValueOrDefault(codeValue);

    public Payment? FindByPaymentCode(string code) => _latestPaymentByPaymentCode.GetValueOrDefault(code);

    public IssuedCode? FindIssuedCode(string code) => _issuedCodes.GetValueOrDefault(code);

    public bool IsCodeValueTaken(string codeValue) => _paymentsByCodeValue.ContainsKey(codeValue);

    public Refund? FindRefund(string clientId, string? refundId, string? refundRequestId)
    {
        if (refundId != null)
        {
            return _refundsById.TryGetValue(refundId, out var byId) && byId.ClientId == clientId ? byId : null;
        }

        return refundRequestId != null && _refundsByRequest.TryGetValue((clientId, refundRequestId), out var byRequest) ? byRequest : null;
    }

    public Refund? FindRefundById(string refundId) => _refundsById.GetValueOrDefault(refundId);

    public IReadOnlyList<Refund> RefundsOf(string paymentId) =>
        _refundsByPayment.TryGetValue(paymentId, out var list) ? list : Array.Empty<Refund>();

    public void AddIssuedCode(IssuedCode code)
    {
        _issuedCodes.Add(code.Code, code);
        _store.SaveCode(code);
    }

    public void SaveIssuedCode(IssuedCode code) => _store.SaveCode(code);

    /// <summary>Adds a new payment; a payment that is final at once gets its notification (if due) queued.</summary>
    public void AddPayment(Payment payment, bool notifyIfFinal)
    {
        Index(payment);
        if (payment.IsFinal && notifyIfFinal)
        {
            MarkForNotification(payment);
        }

        _store.SavePayment(payment);
        if (payment.Notification == NotificationState.Pending)
        {
            QueueNotification(payment);
        }
    }

    public void Complete(Payment payment, DateTimeOffset now)
    {
        payment.Status = PaymentStatus.Success;
        payment.PaymentTime = now;
        payment.ResultCode = ResultCodes.Success;
        payment.ResultMessage = "success";
        Finish(payment);
    }

    public void Fail(Payment payment, string resultCode, string message)
    {
        payment.Status = PaymentStatus.Fail;
        payment.ResultCode = resultCode;
        payment.ResultMessage = message;
        Finish(payment);
    }

    /// <summary>Merchant cancel: final, not notified (the merchant asked for it).</summary>
    public void Cancel(Payment payment, DateTimeOffset now)
    {
        payment.Status = PaymentStatus.Cancelled;
        payment.CancelTime = now;
        payment.ResultCode = ResultCodes.OrderIsCanceled;
        payment.ResultMessage = "order is canceled";
        _processing.Remove(payment);
        _store.SavePayment(payment);
    }

    public void SavePayment(Payment payment) => _store.SavePayment(payment);

    /// <summary>Closes <paramref name="payment"/> if it is PROCESSING past its expiry (abandoned by the customer).</summary>
    public void Refresh(Payment payment, DateTimeOffset now)
    {
        if (payment.Status == PaymentStatus.Processing && now >= payment.ExpiryTime)
        {
            Fail(payment, ResultCodes.OrderIsClosed, "order is closed: not paid before the expiry time");
        }
    }

    /// <summary>Closes every PROCESSING payment past its expiry.</summary>
    public void ExpireDue(DateTimeOffset now)
    {
        if (_processing.Count == 0)
        {
            return;
        }

        foreach (var payment in _processing.Where(p => now >= p.ExpiryTime).ToList())
        {
            Refresh(payment, now);
        }
    }

    public void AddRefund(Refund refund)
    {
        IndexRefund(refund);
        _store.SaveRefund(refund);
    }

    public void SaveRefund(Refund refund) => _store.SaveRefund(refund);

    public void SaveClientKey(StoredClientKey key) => _store.SaveClientKey(key);

    public void RecordAttempt(NotificationAttempt attempt, NotificationState? final)
    {
        _attempts.Add(attempt);
        if (final is NotificationState state && _paymentsById.TryGetValue(attempt.PaymentId, out var payment))
        {
            payment.Notification = state;
            _store.SavePayment(payment);
        }
    }

    public void Dispose() => _store.Dispose();

    private void Finish(Payment payment)
    {
        _processing.Remove(payment);
        MarkForNotification(payment);
        _store.SavePayment(payment);
        if (payment.Notification == NotificationState.Pending)
        {
            QueueNotification(payment);
        }
    }

    private void MarkForNotification(Payment payment)
    {
        bool due = payment.NotifyUrl != null &&
            (payment.Status == PaymentStatus.Success || (payment.Status == PaymentStatus.Fail && Options.NotifyFailures));
        if (due && payment.Notification == NotificationState.None)
        {
            payment.Notification = NotificationState.Pending;
        }
    }

    private void QueueNotification(Payment payment) =>
        Notifications?.Enqueue(new NotificationJob(payment.ClientId, payment.PaymentId, payment.NotifyUrl!, Responses.Notification(payment)));

    private void Index(Payment payment)
    {
        _paymentsByRequest.Add((payment.ClientId, payment.PaymentRequestId), payment);
        _paymentsById.Add(payment.PaymentId, payment);
        _paymentsInOrder.Add(payment);
        if (payment.CodeValue != null)
        {
            _paymentsByCodeValue[payment.CodeValue] = payment;
        }

        if (payment.PaymentMethodId != null)
        {
            _latestPaymentByPaymentCode[payment.PaymentMethodId] = payment;
        }

        if (payment.Status == PaymentStatus.Processing)
        {
            _processing.Add(payment);
        }
    }

    private void IndexRefund(Refund refund)
    {
        _refundsByRequest.Add((refund.ClientId, refund.RefundRequestId), refund);
        _refundsById.Add(refund.RefundId, refund);
        _refundsInOrder.Add(refund);
        if (!_refundsByPayment.TryGetValue(refund.PaymentId, out var list))
        {
            list = new List<Refund>();
            _refundsByPayment.Add(refund.PaymentId, list);
        }

        list.Add(refund);
    }
}
