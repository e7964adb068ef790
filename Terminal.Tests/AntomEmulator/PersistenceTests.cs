using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>With a SQLite file, a restarted emulator keeps payments, refunds, clients, its Antom key and its CA.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("antom-emulator-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Restart_keeps_payments_refunds_keys_and_trust()
    {
        string path = Path.Combine(_directory, "state.db");
        void Configure(AntomEmulatorOptions o)
        {
            o.SqlitePath = path;
            o.AntomSigningKey = null; // generated once, then loaded from the file
        }

        string paidId = Bodies.NewId("PR");
        string waitingId = Bodies.NewId("PR");
        string refundRequestId = Bodies.NewId("RF");
        string publicKey, caPem, paymentId, codeValue, issuedCode;
        await using (var first = await EmulatorSession.StartAsync(Configure))
        {
            var pay = await first.PayWithCodeAsync(paidId, "288888888888888888", "USD", "1000");
            paymentId = pay.Get("paymentId")!;
            await first.PostAsync("refund", Bodies.Refund(refundRequestId, paymentId, "USD", "400"));
            codeValue = (await first.PayWithOrderCodeAsync(waitingId)).Get("orderCodeForm.codeDetails.0.codeValue")!;
            issuedCode = first.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline("RISK_REJECT"));
            publicKey = first.Server.AntomPublicKeyBase64;
            caPem = first.Server.CaCertificatePem;
        }

        await using var second = await EmulatorSession.StartAsync(Configure);
        var inquiry = await second.InquireAsync(paidId);
        var refund = await second.PostAsync("inquiryRefund", new JsonObject { ["refundRequestId"] = refundRequestId });
        var scanned = second.Server.Wallet.PayOrderCode(codeValue);
        var declined = await second.PayWithCodeAsync(Bodies.NewId("PR"), issuedCode);
        var next = await second.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888");

        Assert.Equal(publicKey, second.Server.AntomPublicKeyBase64);
        Assert.Equal(caPem, second.Server.CaCertificatePem);
        Assert.Equal("SUCCESS", inquiry.Get("paymentStatus"));
        Assert.Equal(paymentId, inquiry.Get("paymentId"));
        Assert.Equal("SUCCESS", refund.Get("refundStatus"));
        Assert.Equal(WalletResult.Completed, scanned);
        Assert.Equal("SUCCESS", (await second.InquireAsync(waitingId)).Get("paymentStatus"));
        Assert.Equal("RISK_REJECT", declined.ResultCode);
        Assert.NotEqual(paymentId, next.Get("paymentId"));
        Assert.Equal(4, second.Server.Records.Payments().Count);
    }

    [Fact]
    public async Task Registered_clients_survive_a_restart()
    {
        string path = Path.Combine(_directory, "clients.db");
        await using (var first = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions { SqlitePath = path, AntomSigningKey = TestKeys.NewAntomKey() }))
        {
            first.RegisterClient("PERSISTED", TestKeys.PublicOf(TestKeys.SecondMerchant), 3);
        }

        await using var second = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions { SqlitePath = path, AntomSigningKey = TestKeys.NewAntomKey() });
        using var client = new AntomTestClient(second.HttpsBaseUri!, second.CaCertificatePem, second.AntomPublicKey, "PERSISTED", TestKeys.SecondMerchant);
        var reply = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" }, new SignOptions { KeyVersion = 3 });

        Assert.Equal("ORDER_NOT_EXIST", reply.ResultCode);
        Assert.True(reply.SignatureValid);
    }
}
