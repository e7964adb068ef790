using System.Security.Cryptography;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>Forged, expired, replayed, revoked, unknown: every rejection has Antom's shape and code, and none reaches Antom.</summary>
public sealed class DeviceAuthenticationTests
{
    [Fact]
    public async Task A_correctly_signed_request_is_forwarded_and_the_answer_is_signed_with_the_answer_key()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-ok"));
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        Assert.Equal(("S", "SUCCESS"), (reply.ResultStatus, reply.ResultCode));
        Assert.True(reply.SignatureValid);
        Assert.Equal("T0001", reply.Headers.GetValues("Client-Id").Single());
        Assert.Contains("keep-alive", reply.Headers.Connection);
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Fact]
    public async Task A_forged_signature_is_INVALID_SIGNATURE()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var forged = device.Sign(Bodies.Pay, Bodies.Upm("P-forged"), signKey: RandomNumberGenerator.GetBytes(32));
        var reply = await device.SendAsync(forged);
        Assert.Equal(("F", "INVALID_SIGNATURE"), (reply.ResultStatus, reply.ResultCode));
        Assert.False(reply.Signed, "an answer to a request whose MAC did not verify is never signed");
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_INVALID_SIGNATURE()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-1", amount: 100));
        var reply = await device.SendAsync(signed with { Body = Bodies.Upm("P-1", amount: 100000) });
        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
        // ... and so is a signature made for another path.
        var otherPath = device.Sign(Bodies.Inquiry, Bodies.Upm("P-1")) with { Path = Bodies.Pay };
        Assert.Equal("INVALID_SIGNATURE", (await device.SendAsync(otherPath)).ResultCode);
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task Another_algorithm_is_INVALID_SIGNATURE()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-alg"), algorithm: "RSA256"));
        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
        Assert.Contains("HS256", reply.ResultMessage);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_Request_Time_outside_five_minutes_is_PARAM_ILLEGAL(int minutes)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        long time = DateTimeOffset.UtcNow.AddMinutes(minutes).ToUnixTimeMilliseconds();
        var reply = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-time"), requestTime: time));
        Assert.Equal(("F", "PARAM_ILLEGAL"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("Request-Time", reply.ResultMessage);
        Assert.True(reply.SignatureValid);
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task A_Request_Time_inside_the_window_is_accepted()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        long time = DateTimeOffset.UtcNow.AddMinutes(-4).ToUnixTimeMilliseconds();
        Assert.Equal("S", (await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-4min"), requestTime: time))).ResultStatus);
    }

    [Fact]
    public async Task The_window_comes_from_configuration()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.RequestTimeWindowSeconds = 30);
        var device = await t.AddDeviceAsync();
        long time = DateTimeOffset.UtcNow.AddSeconds(-45).ToUnixTimeMilliseconds();
        Assert.Equal("PARAM_ILLEGAL", (await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-w"), requestTime: time))).ResultCode);
    }

    [Fact]
    public async Task An_unknown_device_is_KEY_NOT_FOUND_and_the_answer_is_unsigned()
    {
        await using var t = await TestGateway.StartAsync();
        var stranger = new TestDevice(t.Http, t.Gateway.BaseUri, "T9999", RandomNumberGenerator.GetBytes(32));
        var reply = await stranger.PostAsync(Bodies.Pay, Bodies.Upm("P-x"));
        Assert.Equal(("F", "KEY_NOT_FOUND"), (reply.ResultStatus, reply.ResultCode));
        Assert.False(reply.Signed);
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task An_unknown_key_version_is_KEY_NOT_FOUND()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-v"), keyVersion: 7));
        Assert.Equal("KEY_NOT_FOUND", reply.ResultCode);
        Assert.Contains("keyVersion 7", reply.ResultMessage);
    }

    [Fact]
    public async Task A_revoked_device_is_ACCESS_DENIED()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-before"))).ResultStatus);
        await t.Gateway.Devices.RevokeAsync("T0001");
        var reply = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-before"));
        Assert.Equal(("F", "ACCESS_DENIED"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("revoked", reply.ResultMessage);
        Assert.Single(t.Antom.Requests);
    }

    [Theory]
    [InlineData("Client-Id")]
    [InlineData("Request-Time")]
    [InlineData("Signature")]
    public async Task A_missing_header_is_PARAM_ILLEGAL(string header)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-h")), r => r.Headers.Remove(header));
        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains(header, reply.ResultMessage);
    }

    [Fact]
    public async Task An_ISO_Request_Time_is_PARAM_ILLEGAL()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-iso")) with { RequestTime = "2026-01-01T00:00:00Z" };
        Assert.Equal("PARAM_ILLEGAL", (await device.SendAsync(signed)).ResultCode);
    }

    [Fact]
    public async Task Key_rotation_keeps_the_old_key_until_the_device_signs_with_the_new_one()
    {
        await using var t = await TestGateway.StartAsync();
        var oldKey = await t.AddDeviceAsync();
        var rotated = await t.Gateway.Devices.RotateKeyAsync("T0001");
        Assert.Equal(2, rotated!.KeyVersion);
        var newKey = t.Device(rotated);

        Assert.Equal("S", (await oldKey.PostAsync(Bodies.Pay, Bodies.Upm("P-r1"))).ResultStatus); // not yet switched
        var first = await newKey.PostAsync(Bodies.Pay, Bodies.Upm("P-r2"));
        Assert.Equal("S", first.ResultStatus);
        Assert.True(first.SignatureValid);
        var stale = await oldKey.PostAsync(Bodies.Pay, Bodies.Upm("P-r3"));
        Assert.Equal("KEY_NOT_FOUND", stale.ResultCode);
        Assert.Contains("replaced", stale.ResultMessage);
        Assert.True(stale.SignatureValid, "the MAC verified with the retired key: the terminal can trust that it must be re-provisioned");
        Assert.Equal([2], (await t.Gateway.Devices.ListAsync()).Single().KeyVersions);
    }
}
