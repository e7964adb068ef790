using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Core.Ports;

namespace Terminal.Tests.Engine;

/// <summary>What the fake does to one exchange instead of answering normally.</summary>
public enum Fault
{
    None,
    ConnectFailed,          // not processed
    TimeoutBeforeSend,      // not processed
    TimeoutAfterSend,       // processed, answer lost
    ResponseBroken,         // processed, answer lost
    Oversized,              // processed, body larger than the device's buffer
    Http500Processed,       // processed, HTTP 500
    Http500NotProcessed,    // not processed, HTTP 500
    Http429,                // not processed, HTTP 429
    Truncated,              // processed, body cut in half (signature over the whole body)
    Malformed,              // processed, garbage body with a valid signature
    WrongSignature,         // processed, signature of other content
    MissingSignature,       // processed, no Signature header
    WrongClientId,          // processed, answer signed for another device
    ReplayPrevious,         // not processed, the previous answer delivered again
    SkewedResponseTime,     // processed, Response-Time far from the device clock (valid signature)
    ForgedSuccess,          // not processed, a "paid" answer for our request signed with another key
}

/// <summary>How a new payment-code (CPM) payment behaves.</summary>
public enum CpmBehaviour
{
    PaidAtOnce,             // pay -> S SUCCESS
    InProcess,              // pay -> U PAYMENT_IN_PROCESS; paid after PollsUntilPaid inquiries
    UnknownException,       // pay -> U UNKNOWN_EXCEPTION; paid after PollsUntilPaid inquiries
    Fails,                  // pay -> F FailCode
    ProcessingFails,        // pay -> U; inquiry later says FAIL
}

/// <summary>One request that reached the server.</summary>
internal sealed record Call(int Index, string Api, string Path, JsonObject Body, bool SignatureValid, Fault Fault)
{
    public string? PaymentRequestId => (string?)Body["paymentRequestId"];

    public string? RefundRequestId => (string?)Body["refundRequestId"];

    public string? Amount => (string?)Body["paymentAmount"]?["value"] ?? (string?)Body["refundAmount"]?["value"];

    public string? Code => (string?)Body["paymentMethod"]?["paymentMethodId"];
}

internal sealed class FakePayment
{
    public required string RequestId { get; init; }
    public required string PaymentId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Code { get; init; }
    public bool OrderCode { get; init; }
    public string Status { get; set; } = "PROCESSING";   // PROCESSING, SUCCESS, FAIL, CANCELLED
    public string? FailCode { get; set; }
    public int Inquiries { get; set; }
    public long Refunded { get; set; }
    public int PayRequests { get; set; }
}

internal sealed class FakeRefund
{
    public required string RefundRequestId { get; init; }
    public required string RefundId { get; init; }
    public required string PaymentId { get; init; }
    public required long Amount { get; init; }
    public string Status { get; set; } = "PROCESSING";
    public int Inquiries { get; set; }
}

/// <summary>
/// An in-memory gateway that answers like Antom (docs/antom-protocol.md section 3): checks the device's HS256 request
/// signature with .NET's HKDF and HMACSHA256 (an implementation independent of the firmware's), keeps payments and
/// refunds with Antom's idempotency rules, signs its answers with the answer key, and misbehaves on demand.
/// </summary>
internal sealed class FakeAntom : IHttpExchange
{
    public const string DefaultCodeValue = "https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf";

    private readonly byte[] _key;
    private readonly string _clientId;
    private readonly IClock _clock;
    private byte[]? _lastBody;
    private string? _lastTime;
    private string? _lastSignature;
    private int _paymentIds;

    public FakeAntom(byte[] key, string clientId, IClock clock)
    {
        _key = key;
        _clientId = clientId;
        _clock = clock;
    }

    // ---- knobs ----
    public bool Powered { get; set; } = true;
    public Func<Call, Fault>? Faults { get; set; }
    public CpmBehaviour Cpm { get; set; } = CpmBehaviour.PaidAtOnce;
    public string FailCode { get; set; } = "USER_BALANCE_NOT_ENOUGH";
    public int PollsUntilPaid { get; set; } = 1;      // -1: never paid
    public long OrderLifetimeMs { get; set; } = 120_000;
    public bool SendExpireTime { get; set; } = true;
    public string CodeValue { get; set; } = DefaultCodeValue;
    public string? CancelRefusal { get; set; }        // F code for cancel
    public bool CancelNeverAnswers { get; set; }      // cancel answers U UNKNOWN_EXCEPTION forever
    public string? RefundFailCode { get; set; }
    public bool RefundInProcess { get; set; }
    public long ServerClockOffsetMs { get; set; }
    public bool EchoRequestId { get; set; } = true;
    public Func<Call, JsonObject?>? Override { get; set; } // a body to answer with instead (signed normally)
    public string? PspName { get; set; } = "ALIPAYCN";    // pspCustomerInfo.pspName of a paid payment (null: none)
    public Action<Call>? BeforeAnswer { get; set; }       // runs as a request arrives, before it is processed

    // ---- state ----
    public Dictionary<string, FakePayment> Payments { get; } = new();
    public Dictionary<string, FakeRefund> Refunds { get; } = new();
    public HashSet<string> CancelledUnknown { get; } = new();
    public List<Call> Calls { get; } = new();

    /// <summary>Request ids for which a correctly signed answer saying "paid" was delivered.</summary>
    public HashSet<string> VerifiedSuccess { get; } = new();

    public IEnumerable<Call> CallsTo(string api) => Calls.Where(c => c.Api == api);

    public HttpExchangeStatus Send(HttpExchange ex, int timeoutMs)
    {
        ex.ClearResponse();
        if (!Powered)
        {
            return HttpExchangeStatus.ConnectFailed;
        }

        byte[] body = ex.RequestBuffer.AsSpan(ex.RequestBodyOffset, ex.RequestBodyLength).ToArray();
        string api = ex.Path[(ex.Path.LastIndexOf('/') + 1)..];
        JsonObject json = JsonNode.Parse(body)!.AsObject();
        bool signatureValid = CheckRequestSignature(ex, body);
        var probe = new Call(Calls.Count, api, ex.Path, json, signatureValid, Fault.None);
        Fault fault = Faults?.Invoke(probe) ?? Fault.None;
        if (fault == Fault.ReplayPrevious && _lastBody == null)
        {
            fault = Fault.None; // nothing to replay yet
        }
        var call = probe with { Fault = fault };

        switch (fault)
        {
            case Fault.ConnectFailed:
                return HttpExchangeStatus.ConnectFailed;
            case Fault.TimeoutBeforeSend:
                return HttpExchangeStatus.TimeoutBeforeSend;
            case Fault.Http500NotProcessed:
                ex.StatusCode = 500;
                return HttpExchangeStatus.Completed;
            case Fault.Http429:
                ex.StatusCode = 429;
                return HttpExchangeStatus.Completed;
            case Fault.ReplayPrevious when _lastBody != null:
                return Deliver(ex, _lastBody, _lastTime!, _lastSignature!, _clientId);
            case Fault.ForgedSuccess:
                JsonObject forged = Result("S", "SUCCESS", "success.");
                forged["paymentRequestId"] = call.PaymentRequestId;
                forged["paymentStatus"] = "SUCCESS";
                byte[] forgedBody = Encoding.UTF8.GetBytes(forged.ToJsonString());
                string forgedTime = _clock.UtcNowMs().ToString();
                string forgedSignature = "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(
                    HMACSHA256.HashData(new byte[32], Encoding.ASCII.GetBytes("POST " + ex.Path + "\n" + _clientId + "." + forgedTime + ".").Concat(forgedBody).ToArray())));
                return Deliver(ex, forgedBody, forgedTime, forgedSignature, _clientId);
        }

        Calls.Add(call);
        BeforeAnswer?.Invoke(call);
        JsonObject answer = signatureValid ? Process(call) : Result("F", "INVALID_SIGNATURE", "signature invalid");
        if (Override?.Invoke(call) is JsonObject replaced)
        {
            answer = replaced;
        }

        byte[] responseBody = Encoding.UTF8.GetBytes(answer.ToJsonString());
        long serverNow = _clock.UtcNowMs() + ServerClockOffsetMs;
        string time = (fault == Fault.SkewedResponseTime ? serverNow + 86_400_000L * 3 : serverNow).ToString();
        string signature = Sign(ex.Path, _clientId, time, responseBody);

        switch (fault)
        {
            case Fault.TimeoutAfterSend:
                return HttpExchangeStatus.TimeoutAfterSend;
            case Fault.ResponseBroken:
                return HttpExchangeStatus.ResponseBroken;
            case Fault.Http500Processed:
                ex.StatusCode = 500;
                return HttpExchangeStatus.Completed;
            case Fault.Oversized:
                answer["padding"] = new string('x', ex.ResponseBodyCapacity);
                responseBody = Encoding.UTF8.GetBytes(answer.ToJsonString());
                break;
            case Fault.Truncated:
                responseBody = responseBody[..(responseBody.Length / 2)];
                break;
            case Fault.Malformed:
                responseBody = Encoding.UTF8.GetBytes("{\"result\":{\"resultStatus\":\"S\",\"resultCode\":\"SUCCESS\"},\"paymentStatus\":\"SUCCESS\",");
                signature = Sign(ex.Path, _clientId, time, responseBody);
                break;
            case Fault.WrongSignature:
                signature = Sign(ex.Path, _clientId, time, Encoding.UTF8.GetBytes("{}"));
                break;
            case Fault.MissingSignature:
                signature = "";
                break;
            case Fault.WrongClientId:
                return Deliver(ex, responseBody, time, Sign(ex.Path, "OTHER1", time, responseBody), "OTHER1");
        }

        if (responseBody.Length > ex.ResponseBodyCapacity)
        {
            return HttpExchangeStatus.ResponseTooLarge;
        }

        bool saysPaid = (call.Api == "pay" && call.Code != null && (string?)answer["result"]?["resultStatus"] == "S")
            || (call.Api == "inquiryPayment" && (string?)answer["paymentStatus"] == "SUCCESS");
        if (saysPaid && fault is Fault.None or Fault.SkewedResponseTime && call.PaymentRequestId != null)
        {
            VerifiedSuccess.Add(call.PaymentRequestId);
        }

        _lastBody = responseBody;
        _lastTime = time;
        _lastSignature = signature;
        return Deliver(ex, responseBody, time, signature, _clientId);
    }

    /// <summary>The HS256 Signature header value of an answer, content "POST path\nclient.time.body", computed with .NET.</summary>
    public string Sign(string path, string clientId, string time, byte[] body) => Sign(RelayKeys.Answer(_key), path, clientId, time, body);

    private static string Sign(byte[] key, string path, string clientId, string time, byte[] body)
    {
        byte[] prefix = Encoding.ASCII.GetBytes("POST " + path + "\n" + clientId + "." + time + ".");
        byte[] content = [.. prefix, .. body];
        byte[] mac = HMACSHA256.HashData(key, content);
        return "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(mac));
    }

    private HttpExchangeStatus Deliver(HttpExchange ex, byte[] body, string time, string signature, string clientId)
    {
        ex.StatusCode = 200;
        ex.ResponseTimeLength = Encoding.ASCII.GetBytes(time, ex.ResponseTime);
        ex.ResponseSignatureLength = Encoding.ASCII.GetBytes(signature, ex.ResponseSignature);
        ex.ResponseClientIdLength = Encoding.ASCII.GetBytes(clientId, ex.ResponseClientId);
        body.CopyTo(ex.ResponseBuffer, ex.ResponseBodyOffset);
        ex.ResponseBodyLength = body.Length;
        return HttpExchangeStatus.Completed;
    }

    private bool CheckRequestSignature(HttpExchange ex, byte[] body)
    {
        string time = Encoding.ASCII.GetString(ex.RequestTime, 0, ex.RequestTimeLength);
        string header = Encoding.ASCII.GetString(ex.Signature, 0, ex.SignatureLength);
        return ex.ClientId == _clientId && header == Sign(RelayKeys.Request(_key), ex.Path, _clientId, time, body)
            && ex.Method == "POST" && ex.ContentType == "application/json; charset=UTF-8";
    }

    private JsonObject Process(Call call) => call.Api switch
    {
        "pay" => Pay(call),
        "inquiryPayment" => Inquiry(call),
        "cancel" => Cancel(call),
        "refund" => Refund(call),
        "inquiryRefund" => InquiryRefund(call),
        _ => Result("F", "NO_INTERFACE_DEF", "no such api"),
    };

    private JsonObject Pay(Call call)
    {
        string id = call.PaymentRequestId!;
        long amount = long.Parse(call.Amount!);
        string currency = (string)call.Body["paymentAmount"]!["currency"]!;
        bool orderCode = (string?)call.Body["paymentFactor"]?["inStorePaymentScenario"] == "OrderCode";
        if (CancelledUnknown.Contains(id))
        {
            return Result("F", "ORDER_IS_CANCELED", "cancelled");
        }

        if (Payments.TryGetValue(id, out FakePayment? p))
        {
            p.PayRequests++;
            if (p.Amount != amount || p.Code != call.Code || p.OrderCode != orderCode)
            {
                return Result("F", "REPEAT_REQ_INCONSISTENT", "inconsistent");
            }

            return PayAnswer(p);
        }

        p = new FakePayment
        {
            RequestId = id,
            PaymentId = "2026" + (++_paymentIds).ToString("D8") + "PAY",
            Amount = amount,
            Currency = currency,
            Code = call.Code,
            OrderCode = orderCode,
            PayRequests = 1,
        };
        Payments[id] = p;
        if (!orderCode)
        {
            switch (Cpm)
            {
                case CpmBehaviour.PaidAtOnce:
                    p.Status = "SUCCESS";
                    break;
                case CpmBehaviour.Fails:
                    p.Status = "FAIL";
                    p.FailCode = FailCode;
                    break;
            }
        }

        return PayAnswer(p);
    }

    private JsonObject PayAnswer(FakePayment p)
    {
        if (p.OrderCode)
        {
            if (p.Status == "CANCELLED")
            {
                return Result("F", "ORDER_IS_CLOSED", "closed");
            }

            JsonObject ok = PaymentBody(p, Result("S", "SUCCESS", "success."));
            var form = new JsonObject
            {
                ["codeDetails"] = new JsonArray(new JsonObject
                {
                    ["codeValue"] = CodeValue,
                    ["codeValueType"] = "QRCODE",
                    ["displayType"] = "TEXT",
                }),
            };
            if (SendExpireTime)
            {
                form["expireTime"] = DateTimeOffset.FromUnixTimeMilliseconds(_clock.UtcNowMs() + ServerClockOffsetMs + OrderLifetimeMs)
                    .ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
            }

            ok["orderCodeForm"] = form;
            return ok;
        }

        return p.Status switch
        {
            "SUCCESS" => PaymentBody(p, Result("S", "SUCCESS", "success.")),
            "FAIL" => Result("F", p.FailCode ?? "PROCESS_FAIL", "failed"),
            "CANCELLED" => Result("F", "ORDER_IS_CANCELED", "cancelled"),
            _ => PaymentBody(p, Cpm == CpmBehaviour.UnknownException
                ? Result("U", "UNKNOWN_EXCEPTION", "unknown")
                : Result("U", "PAYMENT_IN_PROCESS", "in process")),
        };
    }

    private JsonObject Inquiry(Call call)
    {
        string id = call.PaymentRequestId!;
        if (!Payments.TryGetValue(id, out FakePayment? p))
        {
            return Result("F", "ORDER_NOT_EXIST", "order not exist");
        }

        if (p.Status == "PROCESSING")
        {
            p.Inquiries++;
            if (Cpm == CpmBehaviour.ProcessingFails && !p.OrderCode && p.Inquiries >= Math.Max(1, PollsUntilPaid))
            {
                p.Status = "FAIL";
                p.FailCode = FailCode;
            }
            else if (PollsUntilPaid >= 0 && p.Inquiries >= PollsUntilPaid)
            {
                p.Status = "SUCCESS";
            }
        }

        JsonObject body = PaymentBody(p, Result("S", "SUCCESS", "success."));
        body["paymentStatus"] = p.Status;
        body["paymentResultCode"] = p.Status == "SUCCESS" ? "SUCCESS" : p.FailCode ?? "UNKNOWN_EXCEPTION";
        return body;
    }

    private JsonObject Cancel(Call call)
    {
        string id = call.PaymentRequestId!;
        if (CancelNeverAnswers)
        {
            return Result("U", "UNKNOWN_EXCEPTION", "unknown");
        }

        if (CancelRefusal != null)
        {
            return Result("F", CancelRefusal, "refused");
        }

        if (!Payments.TryGetValue(id, out FakePayment? p))
        {
            CancelledUnknown.Add(id);
            return Result("F", "ORDER_NOT_EXIST", "order not exist");
        }

        if (p.Status != "FAIL")
        {
            p.Status = "CANCELLED";
        }

        JsonObject body = Result("S", "SUCCESS", "success.");
        body["paymentId"] = p.PaymentId;
        body["paymentRequestId"] = p.RequestId;
        body["cancelTime"] = "2026-01-01T00:00:00+08:00";
        return body;
    }

    private JsonObject Refund(Call call)
    {
        string id = call.RefundRequestId!;
        string paymentId = (string)call.Body["paymentId"]!;
        long amount = long.Parse(call.Amount!);
        if (Refunds.TryGetValue(id, out FakeRefund? existing))
        {
            return existing.Amount != amount ? Result("F", "REPEAT_REQ_INCONSISTENT", "inconsistent") : RefundAnswer(existing);
        }

        FakePayment? p = Payments.Values.FirstOrDefault(x => x.PaymentId == paymentId);
        if (p == null || p.Status != "SUCCESS")
        {
            return Result("F", "ORDER_NOT_EXIST", "payment not found");
        }

        if (RefundFailCode != null)
        {
            return Result("F", RefundFailCode, "refund refused");
        }

        if (p.Refunded + amount > p.Amount)
        {
            return Result("F", "REFUND_AMOUNT_EXCEED", "too much");
        }

        var r = new FakeRefund { RefundRequestId = id, RefundId = "R" + id, PaymentId = paymentId, Amount = amount };
        Refunds[id] = r;
        if (!RefundInProcess)
        {
            r.Status = "SUCCESS";
            p.Refunded += amount;
        }

        return RefundAnswer(r);
    }

    private JsonObject RefundAnswer(FakeRefund r)
    {
        if (r.Status != "SUCCESS")
        {
            return Result("U", "REFUND_IN_PROCESS", "in process");
        }

        JsonObject body = Result("S", "SUCCESS", "success.");
        body["refundRequestId"] = r.RefundRequestId;
        body["refundId"] = r.RefundId;
        body["paymentId"] = r.PaymentId;
        body["refundAmount"] = Amount(r.Amount, Payments.Values.First(x => x.PaymentId == r.PaymentId).Currency);
        return body;
    }

    private JsonObject InquiryRefund(Call call)
    {
        string id = call.RefundRequestId!;
        if (!Refunds.TryGetValue(id, out FakeRefund? r))
        {
            return Result("F", "ORDER_NOT_EXIST", "refund not found");
        }

        if (r.Status == "PROCESSING")
        {
            r.Inquiries++;
            if (PollsUntilPaid >= 0 && r.Inquiries >= PollsUntilPaid)
            {
                r.Status = "SUCCESS";
                Payments.Values.First(x => x.PaymentId == r.PaymentId).Refunded += r.Amount;
            }
        }

        JsonObject body = Result("S", "SUCCESS", "success.");
        body["refundRequestId"] = r.RefundRequestId;
        body["refundId"] = r.RefundId;
        body["refundStatus"] = r.Status;
        return body;
    }

    private JsonObject PaymentBody(FakePayment p, JsonObject result)
    {
        result["paymentId"] = p.PaymentId;
        if (EchoRequestId)
        {
            result["paymentRequestId"] = p.RequestId;
        }

        result["paymentAmount"] = Amount(p.Amount, p.Currency);
        result["paymentCreateTime"] = "2026-01-01T08:00:00+08:00";
        if (p.Status == "SUCCESS" && PspName != null)
        {
            result["pspCustomerInfo"] = new JsonObject { ["pspName"] = PspName, ["pspCustomerId"] = "2088" + p.PaymentId };
        }

        result["paymentQuote"] = new JsonObject { ["quotePrice"] = 0.88156063, ["guaranteed"] = false };
        return result;
    }

    private static JsonObject Amount(long value, string currency) => new() { ["currency"] = currency, ["value"] = value.ToString() };

    public static JsonObject Result(string status, string code, string message) => new()
    {
        ["result"] = new JsonObject { ["resultCode"] = code, ["resultStatus"] = status, ["resultMessage"] = message },
    };
}
