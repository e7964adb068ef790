using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Bodies that are not strict JSON (duplicate keys, lone surrogate escapes, invalid UTF-8) get a clear
/// <c>F PARAM_ILLEGAL</c> naming the problem before anything is reserved, recorded or forwarded; oversized chunked
/// bodies get 413 and one warning, never an error with a stack trace.
/// </summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string> DuplicateKeys => new()
    {
        { Bodies.Pay, "{\"paymentRequestId\":\"P-d1\",\"paymentRequestId\":\"P-d2\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"100\"}}", "'paymentRequestId'" },
        { Bodies.Pay, "{\"paymentRequestId\":\"P-d3\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"100\"},\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1\"}}", "'paymentAmount'" },
        { Bodies.Pay, "{\"paymentRequestId\":\"P-d4\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"100\",\"value\":\"1\"}}", "'paymentAmount.value'" },
        { Bodies.Inquiry, "{\"paymentRequestId\":\"P-d5\",\"paymentRequestId\":\"P-d6\"}", "'paymentRequestId'" },
        { Bodies.Refund, "{\"refundRequestId\":\"R-1\",\"x\":[{\"a\":1,\"a\":2}]}", "'x[0].a'" },
    };

    [Theory]
    [MemberData(nameof(DuplicateKeys))]
    public async Task A_duplicate_key_is_PARAM_ILLEGAL_naming_the_key_and_nothing_is_reserved(string path, string body, string key)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(("F", "PARAM_ILLEGAL"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("duplicate key " + key, reply.ResultMessage);
        Assert.True(reply.SignatureValid, "the MAC verified, so the refusal is signed");
        await AssertNothingKeptAsync(t);
        Assert.DoesNotContain(t.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    public static TheoryData<string, byte[]> BadStrings => new()
    {
        { "lone high surrogate escape", Ascii("\\ud800") },
        { "lone low surrogate escape", Ascii("\\udc00") },
        { "high surrogate escape then a letter", Ascii("\\ud800\\u0041") },
        { "reversed surrogate escapes", Ascii("\\udc00\\ud800") },
        { "byte FF", [0xFF] },
        { "overlong slash", [0xC0, 0xAF] },
        { "UTF-8 encoded surrogate", [0xED, 0xA0, 0x80] },
        { "truncated 3-byte sequence", [0xE2, 0x82] },
        { "code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
    };

    [Theory]
    [MemberData(nameof(BadStrings))]
    public async Task Invalid_text_in_a_string_field_is_PARAM_ILLEGAL_before_anything_is_reserved(string what, byte[] inside)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        byte[] body = Upm("P-text", inside);
        var reply = await SendBytesAsync(t, device, Bodies.Pay, body);
        Assert.Equal(("F", "PARAM_ILLEGAL"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains(what.Contains("escape", StringComparison.Ordinal) ? "surrogate" : "UTF-8", reply.ResultMessage);
        await AssertNothingKeptAsync(t);

        // The same sale with a clean description goes through: nothing was left reserved.
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-text"))).ResultStatus);
    }

    [Fact]
    public async Task A_valid_surrogate_pair_and_non_ASCII_text_reach_Antom_as_the_same_text()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        byte[] body = Upm("P-ok", [.. Ascii("caf"), 0xC3, 0xA9, .. Ascii(" \\ud83d\\ude00 "), 0xF0, 0x9F, 0x98, 0x80]);
        var reply = await SendBytesAsync(t, device, Bodies.Pay, body);
        Assert.Equal("S", reply.ResultStatus);
        var sent = Assert.Single(t.Antom.Requests);
        Assert.Equal("caf\u00e9 \U0001F600 \U0001F600", (string?)sent.Json["order"]!["orderDescription"]);
    }

    [Theory]
    [InlineData("{\"notifyType\":\"PAYMENT_RESULT\",\"notifyType\":\"X\",\"paymentRequestId\":\"P-n\"}", "duplicate key 'notifyType'")]
    [InlineData("{\"notifyType\":\"PAYMENT_RESULT\",\"result\":{\"resultStatus\":\"S\",\"resultStatus\":\"F\"}}", "duplicate key 'result.resultStatus'")]
    [InlineData("{\"notifyType\":\"PAYMENT_RESULT\",\"paymentRequestId\":\"\\ud800\"}", "surrogate")]
    public async Task A_signed_notification_that_is_not_strict_JSON_is_refused_naming_the_problem(string body, string problem)
    {
        await using var t = await TestGateway.StartAsync();
        var response = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("PARAM_ILLEGAL", answer);
        Assert.Contains(problem, answer);
        Assert.Empty(await t.Gateway.Store.ListNotificationsAsync());
        Assert.DoesNotContain(t.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_notification_with_invalid_UTF8_is_refused()
    {
        await using var t = await TestGateway.StartAsync();
        byte[] body = [.. Ascii("{\"notifyType\":\"PAYMENT_RESULT\",\"paymentRequestId\":\"P-"), 0xED, 0xA0, 0x80, .. Ascii("\"}")];
        var response = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync());
        Assert.Empty(await t.Gateway.Store.ListNotificationsAsync());
    }

    [Theory]
    [InlineData("notify")]
    [InlineData("admin")]
    public async Task A_10_MB_chunked_body_is_413_with_one_warning_and_no_error(string where)
    {
        await using var t = await TestGateway.StartAsync();
        var uri = where == "notify" ? new Uri(t.Gateway.NotifyUrl) : new Uri(t.Gateway.AdminBaseUri, "/admin/devices");
        int before = t.Logs.Lines.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ChunkedContent(10 * 1024 * 1024) };
        request.Headers.TransferEncodingChunked = true;
        if (where == "admin") request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        HttpStatusCode status;
        try
        {
            using var response = await t.Http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = 0; // the server may close the connection while the client still sends; the log is what counts
        }
        Assert.True(status is HttpStatusCode.RequestEntityTooLarge or 0, $"HTTP {(int)status}");

        await Task.Delay(200); // the connection's own log lines, if any
        var lines = t.Logs.Lines.Skip(before).Where(l => !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal)).ToList();
        Assert.Single(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private static async Task AssertNothingKeptAsync(TestGateway t)
    {
        Assert.Empty(await t.Gateway.Store.ListTransactionsAsync());
        Assert.Null(await t.Gateway.Store.FindPaymentAsync("P-text", null));
        Assert.Empty(t.Antom.Requests);
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>A UPM pay body whose order description holds <paramref name="inside"/> as raw bytes.</summary>
    private static byte[] Upm(string paymentRequestId, byte[] inside)
    {
        string body = Bodies.Upm(paymentRequestId);
        int at = body.IndexOf("\"Coffee\"", StringComparison.Ordinal) + 1;
        byte[] raw = Encoding.UTF8.GetBytes(body);
        return [.. raw[..at], .. inside, .. raw[(at + "Coffee".Length)..]];
    }

    /// <summary>Signs and sends raw body bytes (the test device signs strings).</summary>
    private static async Task<DeviceReply> SendBytesAsync(TestGateway t, TestDevice device, string path, byte[] body)
    {
        string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] content = [.. Encoding.ASCII.GetBytes($"POST {path}\n{device.DeviceId}.{time}."), .. body];
        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(RelayKeys.Request(device.Key), content);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(t.Gateway.BaseUri, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
        request.Headers.TryAddWithoutValidation("Client-Id", device.DeviceId);
        request.Headers.TryAddWithoutValidation("Request-Time", time);
        request.Headers.TryAddWithoutValidation("Signature", $"algorithm=HS256,keyVersion=1,signature={Uri.EscapeDataString(Convert.ToBase64String(mac))}");
        using var response = await t.Http.SendAsync(request);
        string answer = await response.Content.ReadAsStringAsync();
        var json = System.Text.Json.Nodes.JsonNode.Parse(answer) as System.Text.Json.Nodes.JsonObject;
        return new DeviceReply(response.StatusCode, answer, json, response.Headers.Contains("Signature"), false, response.Headers);
    }

    /// <summary>A body of <paramref name="length"/> bytes of JSON-ish text sent in chunks without a Content-Length.</summary>
    private sealed class ChunkedContent(int length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            byte[] chunk = Encoding.ASCII.GetBytes(new string('[', 64 * 1024));
            for (int sent = 0; sent < length; sent += chunk.Length) await stream.WriteAsync(chunk);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
