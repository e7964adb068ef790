namespace Terminal.AntomEmulator;

/// <summary>
/// Builds the Antom response and notification bodies for payments and refunds, in the shape of Antom's
/// samples (the project's own, in Terminal.Tests/Fixtures/antom). Callers hold <see cref="EmulatorState.Gate"/>.
/// </summary>
internal sealed class ResponseFactory
{
    private readonly TimeSpan _offset;

    public ResponseFactory(TimeSpan offset)
    {
        _offset = offset;
    }

    public static byte[] Failure(string code, string message, string status = "F") => ResponseBody.ResultOnly(code, status, message);

    /// <summary>The answer to pay, also for a repeated paymentRequestId (idempotency: the current result of that payment).</summary>
    public byte[] PayAnswer(Payment p)
    {
        if (p.Status == PaymentStatus.Cancelled)
        {
            return Failure(ResultCodes.OrderIsCanceled, "the payment of this paymentRequestId was cancelled; use a new paymentRequestId");
        }

        if (p.Status == PaymentStatus.Fail)
        {
            return Failure(p.ResultCode, p.ResultMessage);
        }

        using var body = new ResponseBody(_offset);
        switch (p.Scenario)
        {
            case PaymentScenario.PaymentCode when p.Status == PaymentStatus.Success:
                body.Result(ResultCodes.Success, "S", "success.");
                Identity(body, p);
                body.Time("paymentTime", p.PaymentTime);
                CustomerDetails(body, p);
                SettlementDetails(body, p.Amount, p.SettlementCurrency);
                break;
            case PaymentScenario.PaymentCode:
                body.Result(ResultCodes.PaymentInProcess, "U", "payment in process");
                Identity(body, p);
                break;
            case PaymentScenario.OrderCode:
                // S on OrderCode means "code created", not "paid" (docs/antom-protocol.md section 3.2).
                body.Result(ResultCodes.Success, "S", "success.");
                Identity(body, p);
                body.Writer.WriteStartObject("orderCodeForm");
                body.Time("expireTime", p.ExpiryTime);
                body.Writer.WriteStartArray("codeDetails");
                body.Writer.WriteStartObject();
                body.String("codeValue", p.CodeValue);
                body.String("codeValueType", "QRCODE");
                body.String("displayType", "TEXT");
                body.Writer.WriteEndObject();
                body.Writer.WriteEndArray();
                body.Writer.WriteEndObject();
                break;
            case PaymentScenario.EntryCode:
                body.Result(ResultCodes.Success, "S", "success.");
                Identity(body, p);
                body.Writer.WriteStartObject("redirectActionForm");
                body.String("method", "SCAN");
                body.String("redirectUrl", p.CodeValue);
                body.Writer.WriteEndObject();
                break;
        }

        return body.ToArray();
    }

    public byte[] Inquiry(Payment p, IReadOnlyList<Refund> refunds)
    {
        using var body = new ResponseBody(_offset);
        body.Result(ResultCodes.Success, "S", "success.");
        body.String("paymentId", p.PaymentId)
            .String("paymentRequestId", p.PaymentRequestId)
            .String("paymentStatus", WireNames.Of(p.Status))
            .String("paymentResultCode", p.ResultCode)
            .String("paymentResultMessage", p.ResultMessage)
            .Amount("paymentAmount", p.Amount)
            .Time("paymentCreateTime", p.CreateTime)
            .Time("paymentTime", p.Status == PaymentStatus.Success ? p.PaymentTime : null);
        if (p.Status is PaymentStatus.Success or PaymentStatus.Processing)
        {
            CustomerDetails(body, p);
        }

        if (p.Status == PaymentStatus.Success)
        {
            SettlementDetails(body, p.Amount, p.SettlementCurrency);
        }

        if (refunds.Count > 0)
        {
            body.Writer.WriteStartArray("transactions");
            foreach (var refund in refunds)
            {
                body.Writer.WriteStartObject();
                body.String("transactionType", "REFUND")
                    .String("transactionStatus", WireNames.Of(refund.Status))
                    .String("transactionRequestId", refund.RefundRequestId)
                    .String("transactionId", refund.RefundId)
                    .Amount("transactionAmount", refund.Amount)
                    .Time("transactionTime", refund.RefundTime ?? refund.CreateTime);
                body.Writer.WriteEndObject();
            }

            body.Writer.WriteEndArray();
        }

        return body.ToArray();
    }

    public byte[] Cancelled(Payment p)
    {
        using var body = new ResponseBody(_offset);
        return body.Result(ResultCodes.Success, "S", "success.")
            .String("paymentId", p.PaymentId)
            .String("paymentRequestId", p.PaymentRequestId)
            .Time("cancelTime", p.CancelTime)
            .ToArray();
    }

    public byte[] RefundAnswer(Refund r, Payment p)
    {
        if (r.Status == RefundStatus.Fail)
        {
            return Failure(r.ResultCode, r.ResultMessage);
        }

        using var body = new ResponseBody(_offset);
        if (r.Status == RefundStatus.Success)
        {
            body.Result(ResultCodes.Success, "S", "success.");
        }
        else
        {
            body.Result(ResultCodes.RefundInProcess, "U", "refund in process");
        }

        body.String("refundRequestId", r.RefundRequestId)
            .String("refundId", r.RefundId)
            .String("paymentId", r.PaymentId)
            .Amount("refundAmount", r.Amount)
            .Time("refundTime", r.RefundTime);
        if (r.Status == RefundStatus.Success)
        {
            SettlementDetails(body, r.Amount, p.SettlementCurrency);
        }

        return body.ToArray();
    }

    public byte[] RefundInquiry(Refund r, Payment p)
    {
        using var body = new ResponseBody(_offset);
        body.Result(ResultCodes.Success, "S", "success.")
            .String("refundId", r.RefundId)
            .String("refundRequestId", r.RefundRequestId)
            .Amount("refundAmount", r.Amount)
            .String("refundStatus", WireNames.Of(r.Status))
            .Time("refundTime", r.Status == RefundStatus.Success ? r.RefundTime : null);
        if (r.Status == RefundStatus.Success)
        {
            SettlementDetails(body, r.Amount, p.SettlementCurrency);
        }

        return body.ToArray();
    }

    /// <summary>notifyPayment body (docs/antom-protocol.md section 3.7; sample Terminal.Tests/Fixtures/antom/requests/notify-payment-success.json).</summary>
    public byte[] Notification(Payment p)
    {
        using var body = new ResponseBody(_offset);
        body.String("notifyType", "PAYMENT_RESULT");
        if (p.Status == PaymentStatus.Success)
        {
            body.Result(ResultCodes.Success, "S", "success.");
        }
        else
        {
            body.Result(p.ResultCode, "F", p.ResultMessage);
        }

        Identity(body, p);
        if (p.Status == PaymentStatus.Success)
        {
            body.Time("paymentTime", p.PaymentTime);
            CustomerDetails(body, p);
            SettlementDetails(body, p.Amount, p.SettlementCurrency);
        }

        return body.ToArray();
    }

    private static void Identity(ResponseBody body, Payment p) =>
        body.String("paymentId", p.PaymentId)
            .String("paymentRequestId", p.PaymentRequestId)
            .Amount("paymentAmount", p.Amount)
            .Time("paymentCreateTime", p.CreateTime);

    private static void CustomerDetails(ResponseBody body, Payment p)
    {
        if (p.PspCustomerId == null)
        {
            return; // an order code nobody has scanned yet
        }

        body.Amount("actualPaymentAmount", new AntomAmount(p.WalletCurrency, Currencies.Convert(p.Amount, p.WalletCurrency)));
        body.Quote("paymentQuote", p.Currency, p.WalletCurrency);
        body.Writer.WriteStartObject("pspCustomerInfo");
        body.String("pspName", p.PspName)
            .String("pspCustomerId", p.PspCustomerId)
            .String("displayCustomerId", p.DisplayCustomerId);
        body.Writer.WriteEndObject();
    }

    private static void SettlementDetails(ResponseBody body, AntomAmount amount, string settlementCurrency)
    {
        body.Amount("grossSettlementAmount", new AntomAmount(settlementCurrency, Currencies.Convert(amount, settlementCurrency)));
        // Antom writes this pair the other way round: settlement/payment ("344/446" = HKD/MOP in the samples).
        body.Quote("settlementQuote", settlementCurrency, amount.Currency);
    }
}
