using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>The contract of docs/gateway-admin-api.md, call by call.</summary>
public sealed class AdminApiTests
{
    private static async Task<(HttpStatusCode Status, string Body)> CallAsync(TestGateway t, HttpMethod method, string path, string? body = null, string? token = TestGateway.AdminToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(t.Gateway.AdminBaseUri, path));
        if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await t.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Register_returns_the_key_once_and_the_device_can_sign_with_it()
    {
        await using var t = await TestGateway.StartAsync();
        var (status, body) = await CallAsync(t, HttpMethod.Post, "/admin/devices",
            "{\"deviceId\":\"T0001\",\"referenceMerchantId\":\"M001\",\"referenceStoreId\":\"S001\",\"storeTerminalId\":\"T0001\",\"maxAmountMinor\":\"100000\",\"currencies\":[\"USD\"]}");
        Assert.Equal(HttpStatusCode.Created, status);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["deviceId", "keyVersion", "key"], json.Select(p => p.Key));
        Assert.Equal(("T0001", 1), ((string?)json["deviceId"], (int)json["keyVersion"]!));
        byte[] key = Convert.FromBase64String((string)json["key"]!);
        Assert.Equal(32, key.Length);

        var device = new TestDevice(t.Http, t.Gateway.BaseUri, "T0001", key);
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-admin"))).ResultStatus);

        var (listStatus, list) = await CallAsync(t, HttpMethod.Get, "/admin/devices");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var entry = JsonNode.Parse(list)!.AsArray().Single()!.AsObject();
        Assert.Equal(("T0001", "active", "100000"), ((string?)entry["deviceId"], (string?)entry["status"], (string?)entry["maxAmountMinor"]));
        Assert.Equal([1], entry["keyVersions"]!.AsArray().Select(v => (int)v!));
        Assert.DoesNotContain((string)json["key"]!, list);
        Assert.DoesNotContain("\"key\"", list);
    }

    [Fact]
    public async Task Only_deviceId_is_required_the_rest_defaults_from_configuration()
    {
        await using var t = await TestGateway.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await CallAsync(t, HttpMethod.Post, "/admin/devices", "{\"deviceId\":\"T0002\"}")).Status);
        var device = (await t.Gateway.Devices.ListAsync()).Single().Device;
        Assert.Equal(("M001", "S001", "T0002", (long?)null), (device.ReferenceMerchantId, device.ReferenceStoreId, device.StoreTerminalId, device.MaxAmountMinor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-wrong-token")]
    public async Task A_missing_or_wrong_token_is_401_without_detail(string? token)
    {
        await using var t = await TestGateway.StartAsync();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/admin/devices"), (HttpMethod.Post, "/admin/devices"), (HttpMethod.Post, "/admin/devices/T0001/revoke"), (HttpMethod.Post, "/admin/devices/T0001/rotate-key") })
        {
            var (status, body) = await CallAsync(t, method, path, method == HttpMethod.Post ? "{\"deviceId\":\"T0001\"}" : null, token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("", body);
        }
        Assert.Empty(await t.Gateway.Devices.ListAsync());
    }

    [Theory]
    [InlineData("{\"deviceId\":\"T-01\"}", "deviceId")]
    [InlineData("{\"deviceId\":\"T012345678901234567890123456789012\"}", "deviceId")]
    [InlineData("{}", "deviceId")]
    [InlineData("{\"deviceId\":\"T1\",\"maxAmountMinor\":\"-1\"}", "maxAmountMinor")]
    [InlineData("{\"deviceId\":\"T1\",\"maxAmountMinor\":\"12.50\"}", "maxAmountMinor")]
    [InlineData("{\"deviceId\":\"T1\",\"currencies\":[\"usd\"]}", "currencies")]
    [InlineData("{\"deviceId\":\"T1\",\"currencies\":\"USD\"}", "currencies")]
    [InlineData("{\"deviceId\":\"T1\",\"referenceStoreId\":7}", "referenceStoreId")]
    [InlineData("[]", "body")]
    [InlineData("{", "body")]
    public async Task A_bad_field_is_400_naming_it(string body, string field)
    {
        await using var t = await TestGateway.StartAsync();
        var (status, text) = await CallAsync(t, HttpMethod.Post, "/admin/devices", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(field, (string?)JsonNode.Parse(text)!["error"]);
    }

    [Fact]
    public async Task A_taken_id_is_409()
    {
        await using var t = await TestGateway.StartAsync();
        await CallAsync(t, HttpMethod.Post, "/admin/devices", "{\"deviceId\":\"T0001\"}");
        var (status, body) = await CallAsync(t, HttpMethod.Post, "/admin/devices", "{\"deviceId\":\"T0001\"}");
        Assert.Equal((HttpStatusCode.Conflict, "{\"error\":\"device exists\"}"), (status, body));
    }

    [Fact]
    public async Task Revoke_and_rotate_answer_as_documented()
    {
        await using var t = await TestGateway.StartAsync();
        await CallAsync(t, HttpMethod.Post, "/admin/devices", "{\"deviceId\":\"T0001\"}");

        var (rotateStatus, rotated) = await CallAsync(t, HttpMethod.Post, "/admin/devices/T0001/rotate-key");
        Assert.Equal(HttpStatusCode.OK, rotateStatus);
        var json = JsonNode.Parse(rotated)!;
        Assert.Equal(("T0001", 2, 32), ((string?)json["deviceId"], (int)json["keyVersion"]!, Convert.FromBase64String((string)json["key"]!).Length));

        var (revokeStatus, revoked) = await CallAsync(t, HttpMethod.Post, "/admin/devices/T0001/revoke");
        Assert.Equal((HttpStatusCode.OK, "{\"deviceId\":\"T0001\",\"status\":\"revoked\"}"), (revokeStatus, revoked));
        Assert.Equal(HttpStatusCode.Conflict, (await CallAsync(t, HttpMethod.Post, "/admin/devices/T0001/rotate-key")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(t, HttpMethod.Post, "/admin/devices/T0404/revoke")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(t, HttpMethod.Post, "/admin/devices/T0404/rotate-key")).Status);
    }

    [Fact]
    public async Task Without_an_admin_token_the_admin_API_is_off()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.AdminToken = null);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(t, HttpMethod.Get, "/admin/devices")).Status);
    }
}
