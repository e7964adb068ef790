using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Security;

namespace Terminal.Tests.Gateway.Support;

/// <summary>One request the fake received, with whether the gateway's RSA256 signature verified.</summary>
internal sealed record FakeAntomRequest(string Path, string ClientId, string RequestTime, string Body, JsonObject Json, bool SignatureValid, string SignatureHeader);

/// <summary>A scripted answer: status, body, and how to sign it.</summary>
internal sealed record FakeReply(string Body, int Status = 200, bool Unsigned = false, bool SignWithStranger = false, TimeSpan Delay = default, bool Chunked = false);

/// <summary>
/// A small Antom for gateway tests: Kestrel on loopback over HTTPS (own CA), verifies the gateway's RSA256 request
/// signatures with the merchant public key, answers like Antom (signed with the Antom key), keeps payment state, and
/// can post signed notifyPayment requests. <see cref="Script"/> overrides answers per request.
/// </summary>
internal sealed class FakeAntom : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _payments = new();
    private readonly ConcurrentDictionary<string, JsonObject> _refunds = new();
    private int _sequence;

    public string ClientId { get; }
    public X509Certificate2 Ca { get; }
    public Uri BaseUri { get; private set; } = null!;
    public ConcurrentQueue<FakeAntomRequest> Requests { get; } = new();

    /// <summary>Return a reply to override the default behaviour for a request, or null to keep it.</summary>
    public Func<FakeAntomRequest, FakeReply?>? Script { get; set; }

    /// <summary>Return a time to hold the answer after the request was processed (a slow Antom), or null.</summary>
    public Func<FakeAntomRequest, TimeSpan?>? Hold { get; set; }

    private FakeAntom(string clientId)
    {
        ClientId = clientId;
        Ca = SelfSignedCertificates.CreateCa("Fake Antom CA");
        var server = SelfSignedCertificates.CreateServer(Ca);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(server)));
        _app = builder.Build();
        _app.MapPost("/{**path}", HandleAsync);
    }

    public static async Task<FakeAntom> StartAsync(string clientId = "SANDBOX_TESTCLIENT01")
    {
        var fake = new FakeAntom(clientId);
        await fake._app.StartAsync();
        string address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUri = new Uri(address);
        return fake;
    }

    public int CallCount(string operation) => Requests.Count(r => r.Path.EndsWith("/" + operation, StringComparison.Ordinal));

    public JsonObject? Payment(string paymentRequestId) => _payments.TryGetValue(paymentRequestId, out var p) ? p : null;

    /// <summary>Marks an order-code payment as paid by the customer (what the wallet would do).</summary>
    public void CustomerPays(string paymentRequestId)
    {
        var p = _payments[paymentRequestId];
        lock (p)
        {
            p["paymentStatus"] = "SUCCESS";
            p["paymentTime"] = "2026-01-01T10:00:05+00:00";
        }
    }

    /// <summary>Cancels a payment the way the default cancel does (for scripts that answer differently after processing).</summary>
    public void Cancel(string paymentRequestId)
    {
        var p = _payments[paymentRequestId];
        lock (p) p["paymentStatus"] = "CANCELLED";
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        string path = context.Request.Path.Value!;
        string clientId = context.Request.Headers["Client-Id"].ToString();
        string requestTime = context.Request.Headers["Request-Time"].ToString();
        string signatureHeader = context.Request.Headers["Signature"].ToString();
        var parsed = SignatureHeader.TryParse(signatureHeader, out _);
        bool valid = parsed != null && parsed.Algorithm == "RSA256"
            && Rsa256.Verify(TestKeys.Merchant, SignContent.Build(path, clientId, requestTime, body), parsed.Signature);
        var json = JsonNode.Parse(body) as JsonObject ?? new JsonObject();
        var request = new FakeAntomRequest(path, clientId, requestTime, Encoding.UTF8.GetString(body), json, valid, signatureHeader);
        Requests.Enqueue(request);

        FakeReply reply;
        if (!valid || clientId != ClientId) reply = new FakeReply(Result("F", "INVALID_SIGNATURE", "signature verification failed"), Unsigned: true);
        else reply = Script?.Invoke(request) ?? Default(path, json);
        var delay = Hold?.Invoke(request) ?? reply.Delay;
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        byte[] responseBytes = Encoding.UTF8.GetBytes(reply.Body);
        string responseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.Headers["Client-Id"] = ClientId;
        context.Response.Headers["Response-Time"] = responseTime;
        if (!reply.Unsigned)
        {
            var key = reply.SignWithStranger ? TestKeys.Stranger : TestKeys.Antom;
            byte[] signature = Rsa256.Sign(key, SignContent.Build(path, ClientId, responseTime, responseBytes));
            context.Response.Headers["Signature"] = SignatureHeader.Format("RSA256", 1, signature);
        }
        if (!reply.Chunked) context.Response.ContentLength = responseBytes.Length;
        await context.Response.Body.WriteAsync(responseBytes);
    }

    private FakeReply Default(string path, JsonObject request)
    {
        string operation = path[(path.LastIndexOf('/') + 1)..];
        return operation switch
        {
            "pay" => Pay(request),
            "inquiryPayment" => InquiryPayment(request),
            "cancel" => Cancel(request),
            "refund" => Refund(request),
            "inquiryRefund" => InquiryRefund(request),
            _ => new FakeReply(Result("F", "NO_INTERFACE_DEF", "no such API"), 404),
        };
    }

    private FakeReply Pay(JsonObject request)
    {
        string prid = (string)request["paymentRequestId"]!;
        bool paymentCode = (string?)request["paymentFactor"]?["inStorePaymentScenario"] == "PaymentCode";
        var payment = _payments.GetOrAdd(prid, _ => new JsonObject
        {
            ["paymentRequestId"] = prid,
            ["paymentId"] = "2026" + Interlocked.Increment(ref _sequence).ToString("D12", CultureInfo.InvariantCulture),
            ["paymentAmount"] = request["paymentAmount"]!.DeepClone(),
            ["paymentCreateTime"] = "2026-01-01T10:00:00+00:00",
            ["paymentStatus"] = paymentCode ? "SUCCESS" : "PROCESSING",
        });
        var answer = new JsonObject
        {
            ["result"] = ResultNode("S", "SUCCESS", "success"),
            ["paymentRequestId"] = prid,
            ["paymentId"] = payment["paymentId"]!.DeepClone(),
            ["paymentAmount"] = payment["paymentAmount"]!.DeepClone(),
            ["paymentCreateTime"] = "2026-01-01T10:00:00+00:00",
        };
        if (paymentCode) answer["paymentTime"] = "2026-01-01T10:00:01+00:00";
        else answer["orderCodeForm"] = new JsonObject
        {
            ["expireTime"] = "2026-01-01T10:15:00+00:00",
            ["codeDetails"] = new JsonArray(new JsonObject { ["codeValue"] = "https://qr.example/" + prid, ["codeValueType"] = "QRCODE", ["displayType"] = "TEXT" }),
        };
        return new FakeReply(answer.ToJsonString());
    }

    private FakeReply InquiryPayment(JsonObject request)
    {
        var payment = FindPayment(request);
        if (payment == null) return new FakeReply(Result("F", "ORDER_NOT_EXIST", "order not exist"));
        lock (payment)
        {
            var answer = new JsonObject
            {
                ["result"] = ResultNode("S", "SUCCESS", "success"),
                ["paymentStatus"] = payment["paymentStatus"]!.DeepClone(),
                ["paymentRequestId"] = payment["paymentRequestId"]!.DeepClone(),
                ["paymentId"] = payment["paymentId"]!.DeepClone(),
                ["paymentAmount"] = payment["paymentAmount"]!.DeepClone(),
            };
            return new FakeReply(answer.ToJsonString());
        }
    }

    private FakeReply Cancel(JsonObject request)
    {
        var payment = FindPayment(request);
        if (payment == null) return new FakeReply(Result("F", "ORDER_NOT_EXIST", "order not exist"));
        lock (payment) payment["paymentStatus"] = "CANCELLED";
        var answer = new JsonObject
        {
            ["result"] = ResultNode("S", "SUCCESS", "success"),
            ["paymentRequestId"] = payment["paymentRequestId"]!.DeepClone(),
            ["paymentId"] = payment["paymentId"]!.DeepClone(),
            ["cancelTime"] = "2026-01-01T10:01:00+00:00",
        };
        return new FakeReply(answer.ToJsonString());
    }

    private FakeReply Refund(JsonObject request)
    {
        string rrid = (string)request["refundRequestId"]!;
        var refund = _refunds.GetOrAdd(rrid, _ => new JsonObject
        {
            ["refundRequestId"] = rrid,
            ["refundId"] = "R2026" + Interlocked.Increment(ref _sequence).ToString("D12", CultureInfo.InvariantCulture),
            ["paymentId"] = request["paymentId"]!.DeepClone(),
            ["refundAmount"] = request["refundAmount"]!.DeepClone(),
            ["refundStatus"] = "SUCCESS",
        });
        var answer = new JsonObject
        {
            ["result"] = ResultNode("S", "SUCCESS", "success"),
            ["refundRequestId"] = rrid,
            ["refundId"] = refund["refundId"]!.DeepClone(),
            ["paymentId"] = refund["paymentId"]!.DeepClone(),
            ["refundAmount"] = refund["refundAmount"]!.DeepClone(),
            ["refundTime"] = "2026-01-01T11:00:00+00:00",
        };
        return new FakeReply(answer.ToJsonString());
    }

    private FakeReply InquiryRefund(JsonObject request)
    {
        string? rrid = (string?)request["refundRequestId"];
        var refund = rrid != null && _refunds.TryGetValue(rrid, out var r) ? r : null;
        if (refund == null) return new FakeReply(Result("F", "ORDER_NOT_EXIST", "refund not exist"));
        var answer = new JsonObject
        {
            ["result"] = ResultNode("S", "SUCCESS", "success"),
            ["refundRequestId"] = rrid,
            ["refundId"] = refund["refundId"]!.DeepClone(),
            ["refundAmount"] = refund["refundAmount"]!.DeepClone(),
            ["refundStatus"] = refund["refundStatus"]!.DeepClone(),
        };
        return new FakeReply(answer.ToJsonString());
    }

    private JsonObject? FindPayment(JsonObject request)
    {
        string? paymentId = (string?)request["paymentId"];
        if (paymentId != null) return _payments.Values.FirstOrDefault(p => (string?)p["paymentId"] == paymentId);
        string? prid = (string?)request["paymentRequestId"];
        return prid != null && _payments.TryGetValue(prid, out var p2) ? p2 : null;
    }

    /// <summary>Posts a notifyPayment to the gateway, RSA256-signed over the notify URL's path (with the Antom key unless told otherwise).</summary>
    public Task<HttpResponseMessage> NotifyAsync(string notifyUrl, string body, RSA? key = null, string? clientId = null, string? requestTime = null) =>
        NotifyAsync(notifyUrl, Encoding.UTF8.GetBytes(body), key, clientId, requestTime);

    /// <summary>The same with the body's exact bytes (which need not be valid UTF-8).</summary>
    public async Task<HttpResponseMessage> NotifyAsync(string notifyUrl, byte[] bytes, RSA? key = null, string? clientId = null, string? requestTime = null)
    {
        var uri = new Uri(notifyUrl);
        clientId ??= ClientId;
        requestTime ??= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        byte[] signature = Rsa256.Sign(key ?? TestKeys.Antom, SignContent.Build(uri.AbsolutePath, clientId, requestTime, bytes));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
        request.Headers.TryAddWithoutValidation("Client-Id", clientId);
        request.Headers.TryAddWithoutValidation("Request-Time", requestTime);
        request.Headers.TryAddWithoutValidation("Signature", SignatureHeader.Format("RSA256", 1, signature));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static string NotificationBody(string paymentRequestId, string paymentId, string status = "S", string code = "SUCCESS") => new JsonObject
    {
        ["notifyType"] = "PAYMENT_RESULT",
        ["result"] = ResultNode(status, code, status == "S" ? "success." : "failed"),
        ["paymentRequestId"] = paymentRequestId,
        ["paymentId"] = paymentId,
        ["paymentAmount"] = new JsonObject { ["currency"] = "USD", ["value"] = "1000" },
        ["paymentCreateTime"] = "2026-01-01T10:00:00+00:00",
        ["paymentTime"] = "2026-01-01T10:00:05+00:00",
    }.ToJsonString();

    public static string Result(string status, string code, string message) => new JsonObject { ["result"] = ResultNode(status, code, message) }.ToJsonString();

    private static JsonObject ResultNode(string status, string code, string message) =>
        new() { ["resultCode"] = code, ["resultStatus"] = status, ["resultMessage"] = message };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
