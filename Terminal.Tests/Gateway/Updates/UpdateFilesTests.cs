using System.Net;
using System.Text.Json.Nodes;
using Terminal.Gateway.Updates;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>
/// <c>GET /terminal/v1/updates/&lt;version&gt;/&lt;name&gt;</c> (docs/ota.md, "Files"): ranges as RFC 9110 has them, only for a
/// device offered the version, only with the download key of that device.
/// </summary>
public sealed class UpdateFilesTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Ranges_first_middle_last_open_and_whole_are_served_and_an_unsatisfiable_one_is_416(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        await rig.AddDeviceAsync("T0001");
        string folder = await rig.UploadAsync("1.4.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        await rig.BeatAsync("T0001");
        byte[] file = File.ReadAllBytes(Path.Combine(folder, "Terminal.Payments.pe"));
        Assert.Equal(70_000, file.Length);

        async Task<(HttpStatusCode Status, byte[] Body, string? Range)> Get(string? range)
        {
            using var response = await rig.DownloadAsync("T0001", "1.4.0", "Terminal.Payments.pe", range);
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentRange?.ToString());
        }

        var first = await Get("bytes=0-16383");
        Assert.Equal((HttpStatusCode.PartialContent, "bytes 0-16383/70000"), (first.Status, first.Range));
        Assert.Equal(file[..16384], first.Body);
        var middle = await Get("bytes=16384-32767");
        Assert.Equal((HttpStatusCode.PartialContent, "bytes 16384-32767/70000"), (middle.Status, middle.Range));
        Assert.Equal(file[16384..32768], middle.Body);
        var last = await Get("bytes=65536-69999");
        Assert.Equal("bytes 65536-69999/70000", last.Range);
        Assert.Equal(file[65536..], last.Body);
        var suffix = await Get("bytes=-100");
        Assert.Equal("bytes 69900-69999/70000", suffix.Range);
        Assert.Equal(file[^100..], suffix.Body);
        var open = await Get("bytes=1000-");
        Assert.Equal(file[1000..], open.Body);
        var clamped = await Get("bytes=69990-99999");
        Assert.Equal("bytes 69990-69999/70000", clamped.Range);
        Assert.Equal(file[69990..], clamped.Body);
        var whole = await Get(null);
        Assert.Equal((HttpStatusCode.OK, null), (whole.Status, whole.Range));
        Assert.Equal(file, whole.Body);

        var beyond = await Get("bytes=70000-70010");
        Assert.Equal((HttpStatusCode.RequestedRangeNotSatisfiable, "bytes */70000"), (beyond.Status, beyond.Range));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Get("bytes=500-100")).Status);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Get("bytes=0-10,20-30")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get("items=0-10")).Status); // a unit the server does not know is ignored (RFC 9110 14.2)
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_device_not_offered_the_version_gets_404_and_forged_downloads_are_refused(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        byte[] keyA = await rig.AddDeviceAsync("T0001");
        byte[] keyB = await rig.AddDeviceAsync("T0002");
        await rig.UploadAsync("1.4.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0001") });
        await rig.BeatAsync("T0001");
        await rig.BeatAsync("T0002");

        async Task<HttpStatusCode> Status(Task<HttpResponseMessage> request)
        {
            using var response = await request;
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Status(rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe")));
        // B is authentic but not in the rollout: the same 404 as a version or a file that does not exist.
        Assert.Equal(HttpStatusCode.NotFound, await Status(rig.DownloadAsync("T0002", "1.4.0", "Terminal.Core.pe")));
        Assert.Equal(HttpStatusCode.NotFound, await Status(rig.DownloadAsync("T0001", "1.4.0", "Other.pe")));
        Assert.Equal(HttpStatusCode.NotFound, await Status(rig.DownloadAsync("T0001", "1.9.0", "manifest.json")));

        // Forged: the heartbeat's key, B's key under A's name, A's MAC over another path; none gets a byte.
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe", label: UpdateRig.HeartbeatRequestLabel)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe", signingKey: keyB)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe", signedPath: "/terminal/v1/updates/1.4.0/manifest.json")));
        // A download MAC does not verify as a heartbeat either: the heartbeat signed with the download key is refused.
        var device = new TestDevice(rig.Gateway.Http, rig.Gateway.Gateway.BaseUri, "T0001", keyA);
        var beat = await device.SendAsync(device.Sign("/terminal/v1/heartbeat", "{}", macKey: RelayKeys.Derive(keyA, UpdateRig.DownloadLabel)));
        Assert.Equal("INVALID_SIGNATURE", beat.ResultCode);
        Assert.Equal(4, rig.Gateway.Gateway.Metrics.RequestCount("INVALID_SIGNATURE"));
    }

    [Theory]
    [InlineData("", 0, 100, false)]
    [InlineData("bytes=0-0", 0, 1, true)]
    [InlineData("bytes=99-", 99, 1, true)]
    [InlineData("bytes=-1", 99, 1, true)]
    [InlineData("bytes=-500", 0, 100, true)]
    [InlineData("BYTES=10-19", 10, 10, true)]
    public void A_satisfiable_range_gives_its_bytes(string header, int from, int length, bool partial)
    {
        Assert.Equal((from, length, partial), UpdateFilesEndpoint.Range(header, 100));
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=-")]
    [InlineData("bytes=5-4")]
    [InlineData("bytes=a-4")]
    [InlineData("bytes=1-2,4-5")]
    [InlineData("bytes=1-x")]
    [InlineData("bytes= 1 - 2")]
    public void An_unsatisfiable_or_malformed_range_is_refused(string header)
    {
        Assert.Null(UpdateFilesEndpoint.Range(header, 100));
    }
}
