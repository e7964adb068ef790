using Xunit;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;

namespace Terminal.Tests.AntomEmulator;

/// <summary>An emulator with the test merchant registered and an HTTPS test client for it.</summary>
internal sealed class EmulatorSession : IAsyncDisposable
{
    public const string ClientId = "TEST_MERCHANT_01";

    private EmulatorSession(AntomEmulatorServer server, AntomTestClient client)
    {
        Server = server;
        Client = client;
    }

    public AntomEmulatorServer Server { get; }

    public AntomTestClient Client { get; }

    public static async Task<EmulatorSession> StartAsync(Action<AntomEmulatorOptions>? configure = null, TimeSpan? clientTimeout = null)
    {
        var options = new AntomEmulatorOptions
        {
            AntomSigningKey = TestKeys.NewAntomKey(),
            NotifyRetryDelays = new List<TimeSpan> { TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80) },
        };
        configure?.Invoke(options);
        var server = await AntomEmulatorServer.StartAsync(options);
        server.RegisterClient(ClientId, TestKeys.PublicOf(TestKeys.Merchant));
        var client = new AntomTestClient(server.HttpsBaseUri ?? server.HttpBaseUri!, server.CaCertificatePem, server.AntomPublicKey,
            ClientId, TestKeys.Merchant, clientTimeout);
        return new EmulatorSession(server, client);
    }

    public AntomTestClient NewClient(string clientId, byte[] key, TimeSpan? timeout = null) =>
        new(Server.HttpsBaseUri!, Server.CaCertificatePem, Server.AntomPublicKey, clientId, key, timeout);

    /// <summary>pay with a PaymentCode, asserting the answer is signed.</summary>
    public async Task<AntomReply> PayWithCodeAsync(string paymentRequestId, string code, string currency = "USD", string value = "1250", string? notifyUrl = null)
    {
        var reply = await Client.PostAsync("pay", Bodies.UpmPay(paymentRequestId, code, currency, value, notifyUrl));
        Assert.True(reply.SignatureValid, reply.ToString());
        return reply;
    }

    public async Task<AntomReply> PayWithOrderCodeAsync(string paymentRequestId, string currency = "USD", string value = "1250", string? notifyUrl = null)
    {
        var reply = await Client.PostAsync("pay", Bodies.OrderCodePay(paymentRequestId, currency, value, notifyUrl));
        Assert.True(reply.SignatureValid, reply.ToString());
        return reply;
    }

    public async Task<AntomReply> InquireAsync(string paymentRequestId)
    {
        var reply = await Client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = paymentRequestId });
        Assert.True(reply.SignatureValid, reply.ToString());
        return reply;
    }

    public async Task<AntomReply> PostAsync(string api, JsonObject body)
    {
        var reply = await Client.PostAsync(api, body);
        Assert.True(reply.SignatureValid, reply.ToString());
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
