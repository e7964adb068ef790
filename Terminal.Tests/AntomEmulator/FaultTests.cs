using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Every injected fault kind, its scope (client, API, count) and seeded determinism.</summary>
public sealed class FaultTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public FaultTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    private AntomEmulatorServer Server => _session.Server;

    [Fact]
    public async Task Latency_lets_the_client_time_out_while_the_payment_goes_through()
    {
        var (clientId, client) = NewClient(TimeSpan.FromSeconds(1));
        using var _ = client;
        Server.Faults.Add(FaultRule.Latency(TimeSpan.FromSeconds(10)) with { ClientId = clientId, Count = 1 });
        string id = Bodies.NewId("PR");

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888")));
        var inquiry = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = id });

        Assert.Equal("SUCCESS", inquiry.Get("paymentStatus"));
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(502, false)]
    [InlineData(503, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public async Task Http_errors_come_before_or_after_processing(int status, bool afterProcessing)
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.HttpError(status, afterProcessing) with { ClientId = clientId, Count = 1 });
        string id = Bodies.NewId("PR");

        var reply = await client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"));

        Assert.Equal(status, reply.Status);
        Assert.Null(reply.Json);
        Assert.Equal(afterProcessing, Server.Records.FindPayment(clientId, id) != null);
    }

    [Fact]
    public async Task Too_many_requests_is_429_with_a_signed_unknown_result_and_no_effect()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.TooManyRequests() with { ClientId = clientId, Count = 1 });
        string id = Bodies.NewId("PR");

        var reply = await client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"));

        Assert.Equal(429, reply.Status);
        Assert.Equal("REQUEST_TRAFFIC_EXCEED_LIMIT", reply.ResultCode);
        Assert.Equal("U", reply.ResultStatus);
        Assert.True(reply.SignatureValid);
        Assert.Null(Server.Records.FindPayment(clientId, id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Connection_reset_mid_response_fails_the_call(bool afterProcessing)
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.ConnectionReset(afterProcessing) with { ClientId = clientId, Count = 1 });
        string id = Bodies.NewId("PR");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888")));

        Assert.Equal(afterProcessing, Server.Records.FindPayment(clientId, id) != null);
        Assert.Equal("SUCCESS", (await client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"))).ResultCode);
    }

    [Fact]
    public async Task Truncated_body_is_unparseable_and_unverifiable_but_the_payment_exists()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.TruncatedBody() with { ClientId = clientId, Count = 1 });
        string id = Bodies.NewId("PR");

        var truncated = await client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"));
        var retry = await client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"));

        Assert.Equal(200, truncated.Status);
        Assert.Null(truncated.Json);
        Assert.False(truncated.SignatureValid);
        Assert.True(retry.SignatureValid);
        Assert.StartsWith(truncated.Body, retry.Body);
    }

    [Fact]
    public async Task Unknown_exception_for_n_calls_then_normal_service()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.UnknownException() with { ClientId = clientId, Count = 2 });
        string id = Bodies.NewId("PR");
        var body = Bodies.UpmPay(id, "288888888888888888");

        var first = await client.PostAsync("pay", body);
        var second = await client.PostAsync("pay", body);
        var third = await client.PostAsync("pay", body);

        Assert.Equal(("UNKNOWN_EXCEPTION", "U"), (first.ResultCode, first.ResultStatus));
        Assert.Equal("UNKNOWN_EXCEPTION", second.ResultCode);
        Assert.True(first.SignatureValid && second.SignatureValid);
        Assert.Equal("SUCCESS", third.ResultCode);
        Assert.Single(Server.Records.Payments(), p => p.ClientId == clientId);
    }

    [Fact]
    public async Task Wrong_signature_is_detected_by_the_client()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.WrongSignature() with { ClientId = clientId, Count = 1 });

        var reply = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));
        var next = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));

        Assert.Equal("SUCCESS", reply.ResultCode);
        Assert.False(reply.SignatureValid);
        Assert.True(next.SignatureValid);
    }

    [Fact]
    public async Task Skewed_response_time_is_correctly_signed_but_off()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        Server.Faults.Add(FaultRule.SkewedResponseTime(TimeSpan.FromMinutes(-10)) with { ClientId = clientId, Count = 1 });

        var reply = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });

        Assert.True(reply.SignatureValid);
        var sent = DateTimeOffset.Parse(reply.ResponseTime!, CultureInfo.InvariantCulture);
        Assert.InRange(Server.Clock.GetUtcNow() - sent, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task Rules_are_scoped_by_client_and_api()
    {
        var (clientId, client) = NewClient();
        var (otherId, other) = NewClient();
        using var _ = client;
        using var __ = other;
        long rule = Server.Faults.Add(FaultRule.HttpError(503) with { ClientId = clientId, Api = AntomApi.InquiryPayment });

        var otherClient = await other.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });
        var otherApi = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));
        var hit = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });
        var stillHit = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });
        Assert.True(Server.Faults.Remove(rule));
        var afterRemoval = await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });

        Assert.Equal(200, otherClient.Status);
        Assert.Equal(200, otherApi.Status);
        Assert.Equal(503, hit.Status);
        Assert.Equal(503, stillHit.Status);
        Assert.Equal(200, afterRemoval.Status);
        Assert.Equal(2, Server.Faults.History().Count(f => f.RuleId == rule && f.ClientId == clientId && f.Api == AntomApi.InquiryPayment));
        Assert.NotEqual(otherId, clientId);
    }

    [Fact]
    public async Task Probabilistic_faults_repeat_for_the_same_seed()
    {
        async Task<string> PatternAsync(int seed)
        {
            await using var session = await EmulatorSession.StartAsync(o => o.Seed = seed);
            session.Server.Faults.Add(FaultRule.HttpError(502) with { Probability = 0.5 });
            var pattern = new System.Text.StringBuilder();
            for (int i = 0; i < 16; i++)
            {
                var reply = await session.Client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });
                pattern.Append(reply.Status == 502 ? 'X' : '.');
            }

            return pattern.ToString();
        }

        string first = await PatternAsync(7);
        string second = await PatternAsync(7);

        Assert.Equal(first, second);
        Assert.Contains('X', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public void Inconsistent_rules_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Server.Faults.Add(FaultRule.HttpError(200)));
        Assert.Throws<ArgumentException>(() => Server.Faults.Add(FaultRule.UnknownException() with { Count = 0 }));
        Assert.Throws<ArgumentException>(() => Server.Faults.Add(FaultRule.UnknownException() with { Probability = 1.5 }));
    }

    [Fact]
    public async Task Counted_rule_disappears_after_its_last_hit()
    {
        var (clientId, client) = NewClient();
        using var _ = client;
        long id = Server.Faults.Add(FaultRule.UnknownException() with { ClientId = clientId, Count = 1 });

        Assert.Equal(1, Server.Faults.Rules().Single(r => r.Id == id).Remaining);
        await client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });

        Assert.DoesNotContain(Server.Faults.Rules(), r => r.Id == id);
    }

    private (string ClientId, AntomTestClient Client) NewClient(TimeSpan? timeout = null)
    {
        string clientId = Bodies.NewId("FAULT_");
        Server.RegisterClient(clientId, TestKeys.PublicOf(TestKeys.Merchant));
        return (clientId, _session.NewClient(clientId, TestKeys.Merchant, timeout));
    }
}
