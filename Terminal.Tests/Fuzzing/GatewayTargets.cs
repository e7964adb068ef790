using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Security;
using Terminal.Tests.Gateway.Support;

namespace Terminal.Tests.Fuzzing;

/// <summary>
/// The gateway's handling of outside bytes: <see cref="StrictJson"/> against an independent oracle
/// (System.Text.Json's JsonDocument with duplicate properties refused, plus .NET's UTF-8 validation), and the device
/// and notify endpoints of a running gateway called with fuzzed bodies and headers. Every answer must be a clear one:
/// HTTP 200 with an Antom result (S, or F/U with a code and a message) for devices; 200 acknowledgement, 400, 401 or
/// 413 with an Antom error for notifications; never the U of an exception inside the gateway. Antom is a closed port,
/// so a forwarded request is answered U (counted as accepted: it passed every check).
/// </summary>
internal sealed class GatewayTargets : IAsyncDisposable
{
    private static readonly string[] Paths = [Bodies.Pay, Bodies.Inquiry, Bodies.Cancel, Bodies.Refund, Bodies.InquiryRefund];
    private static readonly string[] Operations = ["pay", "inquiryPayment", "cancel", "refund", "inquiryRefund"];

    private readonly RunningGateway _gateway;
    private readonly TestDatabase _database;
    private readonly byte[] _requestKey;

    private GatewayTargets(RunningGateway gateway, TestDatabase database, byte[] deviceKey)
    {
        _gateway = gateway;
        _database = database;
        _requestKey = RelayKeys.Request(deviceKey);
    }

    public static async Task<GatewayTargets> StartAsync()
    {
        var database = await TestDatabase.CreateAsync("sqlite");
        int closed;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closed = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var gateway = await GatewayHost.StartAsync(new GatewayOptions
        {
            KeyEncryptionKey = TestKeys.KeyEncryptionKey,
            Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = database.ConnectionString },
            Antom = new AntomOptions
            {
                BaseUrl = $"http://127.0.0.1:{closed}/", AllowHttp = true, ClientId = "SANDBOX_FUZZ0001",
                MerchantPrivateKey = TestKeys.MerchantPrivatePkcs8, AntomPublicKey = TestKeys.AntomPublicSpki,
                MaxAttempts = 1, MaxAttemptsPayRefund = 1, RetryDelayMs = 0, ConnectTimeoutMs = 2_000, AttemptTimeoutMs = 2_000, TotalTimeoutMs = 2_000,
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S001", MaxAmountMinor = 1_000_000 },
        });
        var credentials = await gateway.RegisterDeviceAsync("T0001");
        return new GatewayTargets(gateway, database, credentials.KeyBytes);
    }

    public static FuzzTarget ForStrictJson() => new("gateway strict JSON (vs System.Text.Json)", ParserTargets.AntomJson, ParserTargets.JsonTokens, input =>
    {
        bool mine = StrictJson.Check(input) == null;
        bool oracle = Oracle(input);
        if (mine != oracle) throw new FuzzFailure($"StrictJson says {(mine ? "valid" : StrictJson.Check(input))}, the oracle {(oracle ? "valid" : "invalid")}");
        return mine ? FuzzVerdict.Accepted : FuzzVerdict.ClearError;
    });

    /// <summary>Valid UTF-8 without a byte order mark, JSON that JsonDocument parses at depth 64 with duplicates refused, every string readable.</summary>
    private static bool Oracle(byte[] input)
    {
        if (!System.Text.Unicode.Utf8.IsValid(input) || input.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF])) return false;
        try
        {
            using var document = JsonDocument.Parse(input, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = StrictJson.MaxDepth });
            Walk(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void Walk(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    _ = p.Name;
                    Walk(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) Walk(item);
                break;
            case JsonValueKind.String:
                e.GetString();
                break;
        }
    }

    public FuzzTarget ForDeviceRequests()
    {
        var gate = _gateway.Services.GetRequiredService<DeviceGate>();
        var relay = _gateway.Services.GetRequiredService<AntomRelayEndpoint>();
        byte[][] seeds = Paths.Select((_, i) => (byte[])[(byte)i, .. Encoding.UTF8.GetBytes(i switch
        {
            0 => Bodies.Upm("P-fuzz"),
            1 => Bodies.InquiryBody("P-fuzz"),
            2 => Bodies.CancelBody("P-fuzz"),
            3 => Bodies.RefundBody("R-fuzz", "2026000000000001"),
            _ => Bodies.InquiryRefundBody("R-fuzz"),
        })]).Append([5, .. Encoding.UTF8.GetBytes(Bodies.OrderCode("P-fuzz2"))]).ToArray();
        byte[][] tokens = [.. ParserTargets.JsonTokens, "\"paymentAmount\""u8.ToArray(), "\"currency\""u8.ToArray(), "\"value\""u8.ToArray(), "\"order\""u8.ToArray(),
            "\"paymentMethodId\""u8.ToArray(), "\"refundRequestId\""u8.ToArray(), "\"paymentId\""u8.ToArray()];
        return new("gateway device requests", seeds, tokens, input =>
        {
            int choice = input.Length > 0 ? input[0] : 0;
            int which = choice % Paths.Length;
            byte[] body = input.Length > 0 ? input[1..] : input;
            string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            byte[] mac = HMACSHA256.HashData(_requestKey, SignContent.Build(Paths[which], "T0001", time, body));
            var context = NewContext(Paths[which], body);
            bool damaged = (choice & 0xE0) == 0xE0; // one input in eight has its headers damaged from its own bytes
            context.Request.Headers["Client-Id"] = damaged && (choice & 1) == 1 ? Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 40))) : "T0001";
            context.Request.Headers["Request-Time"] = damaged && (choice & 2) == 2 ? Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 20))) : time;
            context.Request.Headers["Signature"] = damaged && (choice & 4) == 4
                ? "algorithm=HS256,keyVersion=1,signature=" + Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 60)))
                : SignatureHeader.Format("HS256", 1, mac);
            gate.HandleAsync(context, DeviceMessageType.AntomRelay, Operations[which], relay.HandleAsync).GetAwaiter().GetResult();

            if (context.Response.StatusCode != StatusCodes.Status200OK) throw new FuzzFailure($"HTTP {context.Response.StatusCode}");
            var (status, code, message) = Result(context);
            if (status is not ("S" or "F" or "U")) throw new FuzzFailure("answer without an Antom result: " + Answer(context));
            if (status != "S" && (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(message))) throw new FuzzFailure("an error without code or message: " + Answer(context));
            if (!damaged && code is "INVALID_SIGNATURE" or "KEY_NOT_FOUND") throw new FuzzFailure("a correctly signed request refused: " + Answer(context));
            if (message?.Contains("internal error", StringComparison.Ordinal) == true) throw new FuzzFailure("the gateway failed inside: " + Answer(context));
            // S or U: the request passed every check and went to Antom (a closed port here); F: refused with a reason.
            return status == "F" ? FuzzVerdict.ClearError : FuzzVerdict.Accepted;
        }, MaxLength: 8192);
    }

    public FuzzTarget ForNotifications()
    {
        var endpoint = _gateway.Services.GetRequiredService<NotifyEndpoint>();
        var settings = _gateway.Services.GetRequiredService<GatewaySettings>();
        string signedPath = _gateway.Services.GetRequiredService<GatewayEndpoints>().NotifySignaturePath;
        byte[][] seeds =
        [
            [0, .. Encoding.UTF8.GetBytes(FakeAntom.NotificationBody("P-n1", "2026000000000001"))],
            [5, .. Encoding.UTF8.GetBytes(FakeAntom.NotificationBody("P-n2", "2026000000000002", "F", "USER_BALANCE_NOT_ENOUGH"))],
            [1, .. Encoding.UTF8.GetBytes("{\"notifyType\":\"PAYMENT_RESULT\"}")],
        ];
        return new("gateway notifications", seeds, ParserTargets.JsonTokens, input =>
        {
            int choice = input.Length > 0 ? input[0] : 0;
            byte[] body = input.Length > 0 ? input[1..] : input;
            string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            bool signed = choice % 5 == 0; // RSA signing costs ~1 ms: one input in five is signed, the rest test the refusal
            var context = NewContext(settings.NotifyPath, body);
            context.Request.Headers["Client-Id"] = settings.AntomClientId;
            context.Request.Headers["Request-Time"] = time;
            context.Request.Headers["Signature"] = signed
                ? SignatureHeader.Format("RSA256", 1, Rsa256.Sign(TestKeys.Antom, SignContent.Build(signedPath, settings.AntomClientId, time, body)))
                : "algorithm=RSA256,keyVersion=1,signature=" + Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 80)));
            endpoint.HandleAsync(context).GetAwaiter().GetResult();

            int status = context.Response.StatusCode;
            if (status == StatusCodes.Status200OK)
            {
                if (Answer(context) != NotifyEndpoint.Acknowledgement) throw new FuzzFailure("200 without the acknowledgement");
                return FuzzVerdict.Accepted;
            }
            if (status is not (400 or 401 or 413)) throw new FuzzFailure($"HTTP {status}: {Answer(context)}");
            var (result, code, message) = Result(context);
            if (result != "F" || string.IsNullOrEmpty(code) || string.IsNullOrEmpty(message)) throw new FuzzFailure("an unclear refusal: " + Answer(context));
            if (signed && status == 401) throw new FuzzFailure("a correctly signed notification refused: " + Answer(context));
            return FuzzVerdict.ClearError;
        }, MaxLength: 8192);
    }

    private static DefaultHttpContext NewContext(string path, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Request.ContentType = "application/json; charset=UTF-8";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Answer(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static (string? Status, string? Code, string? Message) Result(HttpContext context)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(((MemoryStream)context.Response.Body).ToArray());
        }
        catch (JsonException)
        {
            throw new FuzzFailure("an answer that is not JSON: " + Answer(context));
        }
        return ((string?)json?["result"]?["resultStatus"], (string?)json?["result"]?["resultCode"], (string?)json?["result"]?["resultMessage"]);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _database.DisposeAsync();
    }
}
