using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>The test-only /__emulator/ HTTP API and the plain-HTTP endpoint, as a standalone emulator is driven.</summary>
public sealed class ControlApiTests : IClassFixture<ControlApiTests.TwoEndpointEmulator>
{
    private readonly EmulatorSession _session;
    private readonly HttpClient _control;

    public ControlApiTests(TwoEndpointEmulator shared)
    {
        _session = shared.Session;
        _control = shared.Control ?? shared.CreateControl();
    }

    /// <summary>HTTPS and plain HTTP on loopback; the control API is used over HTTP.</summary>
    public sealed class TwoEndpointEmulator : SharedEmulator
    {
        public HttpClient? Control { get; private set; }

        protected override void Configure(AntomEmulatorOptions options) =>
            options.Urls = new List<string> { "https://127.0.0.1:0", "http://127.0.0.1:0" };

        public override async Task DisposeAsync()
        {
            Control?.Dispose();
            await base.DisposeAsync();
        }

        internal HttpClient CreateControl()
        {
            Control = new HttpClient { BaseAddress = Session.Server.HttpBaseUri };
            return Control;
        }
    }

    [Fact]
    public async Task Health_ca_and_public_key_are_served()
    {
        var health = await Control.GetFromJsonAsync<JsonObject>("/__emulator/health");
        string pem = await Control.GetStringAsync("/__emulator/ca.pem");
        var key = await Control.GetFromJsonAsync<JsonObject>("/__emulator/antom-public-key");

        Assert.Equal("ok", health!["status"]!.GetValue<string>());
        Assert.Equal(_session.Server.CaCertificatePem, pem);
        Assert.Equal(_session.Server.AntomPublicKeyBase64, key!["publicKey"]!.GetValue<string>());
        Assert.Equal(1, key["keyVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_registered_over_http_can_pay_over_plain_http()
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(TestKeys.SecondMerchant, out _);
        var register = await Control.PostAsJsonAsync("/__emulator/clients",
            new { clientId = "HTTP_CLIENT", publicKey = rsa.ExportSubjectPublicKeyInfoPem(), keyVersion = 1 });
        using var client = new AntomTestClient(_session.Server.HttpBaseUri!, null, _session.Server.AntomPublicKey, "HTTP_CLIENT", TestKeys.SecondMerchant);

        var pay = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));

        Assert.Equal(HttpStatusCode.NoContent, register.StatusCode);
        Assert.Equal("SUCCESS", pay.ResultCode);
        Assert.True(pay.SignatureValid);
    }

    [Fact]
    public async Task Wallet_issues_and_confirms_codes_over_http()
    {
        var issued = await Control.PostAsJsonAsync("/__emulator/wallet/payment-codes", new { outcome = "requiresConfirmation", format = "legacy19" });
        string code = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithCodeAsync(id, code);
        var confirm = await Control.PostAsJsonAsync("/__emulator/wallet/payment-codes/confirm", new { code });
        var again = await Control.PostAsJsonAsync("/__emulator/wallet/payment-codes/confirm", new { code });
        var unknown = await Control.PostAsJsonAsync("/__emulator/wallet/payment-codes/confirm", new { code = "281111111111111111" });

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Matches("^289[0-9]{16}$", code);
        Assert.Equal("PAYMENT_IN_PROCESS", pay.ResultCode);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("SUCCESS", (await _session.InquireAsync(id)).Get("paymentStatus"));
    }

    [Fact]
    public async Task Order_codes_are_declined_and_refunds_settled_over_http()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);
        var decline = await Control.PostAsJsonAsync("/__emulator/wallet/order-codes/decline",
            new { codeValue = pay.Get("orderCodeForm.codeDetails.0.codeValue"), resultCode = "RISK_REJECT" });

        var paid = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888");
        (await Control.PostAsJsonAsync("/__emulator/wallet/defer-refunds", new { enabled = true })).EnsureSuccessStatusCode();
        var refund = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paid.Get("paymentId")!, "USD", "10"));
        (await Control.PostAsJsonAsync("/__emulator/wallet/defer-refunds", new { enabled = false })).EnsureSuccessStatusCode();
        var settle = await Control.PostAsJsonAsync("/__emulator/wallet/refunds/settle", new { refundId = refund.Get("refundId"), success = true });

        Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        Assert.Equal("RISK_REJECT", (await _session.InquireAsync(id)).Get("paymentResultCode"));
        Assert.Equal("REFUND_IN_PROCESS", refund.ResultCode);
        Assert.Equal(HttpStatusCode.OK, settle.StatusCode);
        Assert.Equal(RefundStatus.Success, _session.Server.Records.Refunds().Single(r => r.RefundId == refund.Get("refundId")).Status);
    }

    [Fact]
    public async Task Paying_an_order_code_over_http_answers_where_the_wallet_sends_the_customer()
    {
        var body = Bodies.OrderCodePay(Bodies.NewId("PR"));
        body["paymentRedirectUrl"] = "https://shop.example/result/Zx9";
        string withLink = (await _session.PostAsync("pay", body)).Get("orderCodeForm.codeDetails.0.codeValue")!;
        string without = (await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"))).Get("orderCodeForm.codeDetails.0.codeValue")!;

        var paid = await Control.PostAsJsonAsync("/__emulator/wallet/order-codes/pay", new { codeValue = withLink });
        var plain = await Control.PostAsJsonAsync("/__emulator/wallet/order-codes/pay", new { codeValue = without });

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("https://shop.example/result/Zx9", (string?)(await paid.Content.ReadFromJsonAsync<JsonObject>())!["redirectUrl"]);
        Assert.False((await plain.Content.ReadFromJsonAsync<JsonObject>())!.ContainsKey("redirectUrl"));
    }

    [Fact]
    public async Task Faults_are_added_listed_and_cleared_over_http()
    {
        string clientId = Bodies.NewId("HTTPFAULT_");
        _session.Server.RegisterClient(clientId, TestKeys.PublicOf(TestKeys.Merchant));
        using var client = _session.NewClient(clientId, TestKeys.Merchant);

        var added = await Control.PostAsJsonAsync("/__emulator/faults", new { kind = "httpError", httpStatus = 503, clientId, api = "pay", count = 2 });
        var listed = await Control.GetFromJsonAsync<JsonArray>("/__emulator/faults");
        var hit = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));
        var history = await Control.GetFromJsonAsync<JsonArray>("/__emulator/faults/history");
        var cleared = await Control.DeleteAsync("/__emulator/faults");
        var after = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));
        var bad = await Control.PostAsJsonAsync("/__emulator/faults", new { kind = "httpError", httpStatus = 200 });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Contains(listed!, r => r!["clientId"]?.GetValue<string>() == clientId && r["remaining"]!.GetValue<int>() == 2);
        Assert.Equal(503, hit.Status);
        Assert.Contains(history!, h => h!["clientId"]!.GetValue<string>() == clientId && h["kind"]!.GetValue<string>() == "httpError");
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(200, after.Status);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_transaction_details_report_is_served_in_Antoms_shape()
    {
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, "288888888888888888");
        var paid = _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!;
        string date = paid.PaymentTime!.Value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await Control.GetAsync($"/__emulator/reports/transaction-details?clientId={EmulatorSession.ClientId}&date={date}");
        string report = await response.Content.ReadAsStringAsync();
        var badDate = await Control.GetAsync($"/__emulator/reports/transaction-details?clientId={EmulatorSession.ClientId}&date=03.12.2026");
        var badZone = await Control.GetAsync($"/__emulator/reports/transaction-details?clientId={EmulatorSession.ClientId}&date={date}&timeZone=Mars/Base");

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith(TransactionDetailsReport.Header + "\n", report, StringComparison.Ordinal);
        Assert.EndsWith("\n<END>\n", report, StringComparison.Ordinal);
        Assert.Contains($"{EmulatorSession.ClientId},Antom,{paid.PaymentId},,{id},PAYMENT,", report);
        // The gateway's reader (written from Antom's documentation independently of this writer) reads it back.
        var row = Assert.Single(Terminal.Gateway.EndOfDay.AntomTransactionReport.Parse(System.Text.Encoding.UTF8.GetBytes(report), int.MaxValue, EmulatorSession.ClientId),
            r => r.TransactionRequestId == id);
        Assert.Equal((paid.Amount.Value, paid.Amount.Currency, "PAYMENT"), (row.AmountMinor, row.Currency, row.Type));
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
    }

    [Fact]
    public async Task Clock_and_records_are_exposed()
    {
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, "288888888888888888");
        double before = _session.Server.Clock.Offset.TotalSeconds;

        var advance = await Control.PostAsJsonAsync("/__emulator/clock/advance", new { seconds = 90 });
        var clock = await advance.Content.ReadFromJsonAsync<JsonObject>();
        var payments = await Control.GetFromJsonAsync<JsonArray>("/__emulator/records/payments");
        var notFound = await Control.GetAsync("/__emulator/nothing");
        var badJson = await Control.PostAsync("/__emulator/clock/advance", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(before + 90, clock!["offsetSeconds"]!.GetValue<double>(), 3);
        Assert.Contains(payments!, p => p!["paymentRequestId"]!.GetValue<string>() == id && p["status"]!.GetValue<string>() == "success");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
    }

    [Fact]
    public async Task Control_api_can_be_switched_off()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.EnableControlApi = false);
        var reply = await session.Client.PostRawAsync("/__emulator/health", "{}");

        Assert.Equal(404, reply.Status);
        Assert.Equal("NO_INTERFACE_DEF", reply.ResultCode);
    }

    private HttpClient Control => _control ?? throw new InvalidOperationException();
}
