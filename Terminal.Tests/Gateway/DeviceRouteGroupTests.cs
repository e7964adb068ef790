using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The device API as route groups (docs/gateway.md, "Device API groups"): a message of the terminal's own API joins
/// the /terminal/v1 group with its own message type, shares the gate's authentication and answer signing, and
/// neither accepts the Antom relay's MACs nor touches the relay's replay and transaction records.
/// </summary>
public sealed class DeviceRouteGroupTests
{
    private static readonly DeviceMessageType Echo = new("test-echo");

    [Fact]
    public async Task A_terminal_API_message_signs_with_its_own_keys_and_leaves_the_relay_records_alone()
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var options = TestGateway.Options(antom, database);
        using var settings = GatewaySettings.Resolve(options);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        GatewayHost.Configure(builder, settings);
        await using var app = builder.Build();
        await GatewayHost.PrepareAsync(app);
        app.MapTerminalApi().MapDeviceMessage("/echo", Echo, "echo", (request, _) =>
            Task.FromResult(new DeviceAnswer(new JsonObject
            {
                ["result"] = new JsonObject { ["resultCode"] = "SUCCESS", ["resultStatus"] = "S", ["resultMessage"] = "success" },
                ["deviceId"] = request.Device.DeviceId,
                ["bytes"] = request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }.ToJsonString())));
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var credentials = await app.Services.GetRequiredService<DeviceRegistry>().RegisterAsync(new DeviceRegistration("T0001"));
        using var http = new HttpClient();
        var device = new TestDevice(http, baseUri, "T0001", credentials.KeyBytes);
        const string path = "/terminal/v1/echo";
        byte[] requestKey = RelayKeys.Derive(credentials.KeyBytes, "qr-terminal-hs256/test-echo/device-to-gateway");
        byte[] answerKey = RelayKeys.Derive(credentials.KeyBytes, "qr-terminal-hs256/test-echo/gateway-to-device");

        var request = device.Sign(path, "{\"hello\":\"world\"}", macKey: requestKey);
        var reply = await device.SendAsync(request);
        Assert.Equal(("S", "T0001"), (reply.ResultStatus, reply["deviceId"]));
        Assert.True(Verifies(reply, path, answerKey), "signed with the echo answer key");
        Assert.False(reply.SignatureValid, "not with the relay's answer key");

        // The relay's keys do not open the echo message, and the echo answer is no echo request.
        var relaySigned = await device.SendAsync(device.Sign(path, "{\"hello\":\"world\"}"));
        Assert.Equal("INVALID_SIGNATURE", relaySigned.ResultCode);
        Assert.False(relaySigned.Signed);
        var reflected = await device.SendAsync(new SignedRequest(path, "T0001", reply.Headers.GetValues("Response-Time").Single(), reply.Body,
            reply.Headers.GetValues("Signature").Single()));
        Assert.Equal("INVALID_SIGNATURE", reflected.ResultCode);

        // The same request again is answered again: no replay record, no transaction.
        Assert.False((await device.SendAsync(request)).Replayed);
        Assert.Empty(await app.Services.GetRequiredService<GatewayStore>().ListTransactionsAsync());
        Assert.Empty(antom.Requests);
        await app.StopAsync();
    }

    private static bool Verifies(DeviceReply reply, string path, byte[] key)
    {
        string header = reply.Headers.GetValues("Signature").Single();
        byte[] mac = Convert.FromBase64String(Uri.UnescapeDataString(header[(header.IndexOf("signature=", StringComparison.Ordinal) + 10)..]));
        string time = reply.Headers.GetValues("Response-Time").Single();
        return CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"POST {path}\nT0001.{time}.{reply.Body}")));
    }
}
