using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Host;
using Terminal.Tests.Gateway.Support;
using Terminal.Updates.Manifest;
using Xunit;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>
/// Rollouts and the heartbeat's offer (docs/ota.md, "Rollouts"): a percentage takes in a stable subset of the fleet, the
/// newest started rollout decides, pause and abort take the offer away, a downgrade is offered only when allowed, and the
/// offer's MAC is checked with the terminal's own <see cref="ManifestAuthentication"/>.
/// </summary>
public sealed class RolloutOfferTests
{
    // Written here from the documented rule (first 8 bytes of SHA-256 of the id, big-endian, modulo 100), not taken from the gateway.
    private static int Bucket(string deviceId) => (int)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(deviceId))) % 100);

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_percentage_rollout_offers_a_stable_subset_and_a_larger_share_of_the_next_version_takes_it_in(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        var ids = Enumerable.Range(100, 40).Select(i => "T0" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (string id in ids) await rig.AddDeviceAsync(id);
        await rig.UploadAsync("1.4.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0", ["percent"] = 25 });

        async Task<Dictionary<string, string?>> OffersAsync()
        {
            var offers = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (string id in ids) offers[id] = (string?)(await rig.BeatAsync(id))?["version"];
            return offers;
        }

        var first = await OffersAsync();
        var second = await OffersAsync();
        var expected = ids.Where(id => Bucket(id) < 25).ToHashSet();
        Assert.Equal(expected, first.Where(kv => kv.Value == "1.4.0").Select(kv => kv.Key).ToHashSet());
        Assert.Equal(first, second);
        Assert.InRange(expected.Count, 1, 39); // neither nobody nor everybody: the subset is a real one

        await rig.UploadAsync("1.5.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.5.0", ["percent"] = 60 });
        var next = await OffersAsync();
        Assert.Equal(ids.Where(id => Bucket(id) < 60).ToHashSet(), next.Where(kv => kv.Value == "1.5.0").Select(kv => kv.Key).ToHashSet());
        Assert.Subset(next.Where(kv => kv.Value == "1.5.0").Select(kv => kv.Key).ToHashSet(), expected);
        Assert.All(next.Where(kv => kv.Value == null), kv => Assert.True(Bucket(kv.Key) >= 60));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_offer_carries_a_manifest_mac_that_the_terminal_accepts_and_another_terminal_refuses(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        byte[] key = await rig.AddDeviceAsync("T0001");
        byte[] other = await rig.AddDeviceAsync("T0002");
        string folder = await rig.UploadAsync("1.4.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0001") });

        var offer = await rig.BeatAsync("T0001");
        Assert.NotNull(offer);
        Assert.Equal(("1.4.0", false), ((string?)offer!["version"], (bool)offer["downgrade"]!));
        string macHex = (string)offer["mac"]!;
        Assert.Matches("^[0-9a-f]{64}$", macHex);
        byte[] mac = Convert.FromHexString(macHex);
        byte[] manifest = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
        Assert.True(new ManifestAuthentication(new HmacSha256Mac(key)).IsAuthentic(manifest, 0, manifest.Length, mac, 0));
        Assert.False(new ManifestAuthentication(new HmacSha256Mac(other)).IsAuthentic(manifest, 0, manifest.Length, mac, 0));
        byte[] changed = (byte[])manifest.Clone();
        changed[^2] ^= 0x01;
        Assert.False(new ManifestAuthentication(new HmacSha256Mac(key)).IsAuthentic(changed, 0, changed.Length, mac, 0));

        // The manifest the terminal downloads is those exact bytes; the device outside the rollout is offered nothing.
        using var served = await rig.DownloadAsync("T0001", "1.4.0", "manifest.json");
        Assert.Equal(manifest, await served.Content.ReadAsByteArrayAsync());
        Assert.Null(await rig.BeatAsync("T0002"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Pause_and_abort_take_the_offer_and_the_downloads_away_and_resume_gives_them_back(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        await rig.AddDeviceAsync("T0001");
        await rig.UploadAsync("1.4.0");
        long id = await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        var by = new JsonObject { ["by"] = "bob" };

        Assert.NotNull(await rig.BeatAsync("T0001"));
        Assert.Equal(200, (int)(await rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe")).StatusCode);

        Assert.Equal(200, (await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{id}/pause", by)).Status);
        Assert.Null(await rig.BeatAsync("T0001"));
        Assert.Equal(404, (int)(await rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe")).StatusCode);

        var resumed = await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{id}/resume", by);
        Assert.Equal((200, "active", "bob"), (resumed.Status, (string?)resumed.Json["state"], (string?)resumed.Json["changedBy"]));
        Assert.NotNull(await rig.BeatAsync("T0001"));

        Assert.Equal(200, (await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{id}/abort", by)).Status);
        Assert.Null(await rig.BeatAsync("T0001"));
        Assert.Equal(404, (int)(await rig.DownloadAsync("T0001", "1.4.0", "Terminal.Core.pe")).StatusCode);
        var again = await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{id}/resume", by);
        Assert.Equal((409, "rollout 1 is aborted: only a rollout that is paused can be made active"), (again.Status, (string?)again.Json["error"]));
        Assert.Equal(404, (await rig.AdminAsync(HttpMethod.Post, "/admin/rollouts/99/pause", by)).Status);
    }

    [Fact]
    public async Task The_newest_started_rollout_decides_a_paused_one_is_not_replaced_by_an_older_and_a_future_one_waits()
    {
        await using var rig = await UpdateRig.StartAsync("sqlite");
        await rig.AddDeviceAsync("T0001", store: "S001");
        await rig.AddDeviceAsync("T0002", store: "S002");
        await rig.UploadAsync("1.4.0");
        await rig.UploadAsync("1.5.0");
        await rig.UploadAsync("1.6.0");
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        long storeRollout = await rig.RolloutAsync(new JsonObject { ["version"] = "1.5.0", ["stores"] = new JsonArray("S001") });
        await rig.RolloutAsync(new JsonObject
        {
            ["version"] = "1.6.0", ["devices"] = new JsonArray("T0002"),
            ["startsAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });

        Assert.Equal("1.5.0", (string?)(await rig.BeatAsync("T0001"))?["version"]);
        Assert.Equal("1.4.0", (string?)(await rig.BeatAsync("T0002"))?["version"]);
        await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{storeRollout}/pause", new JsonObject { ["by"] = "bob" });
        Assert.Null(await rig.BeatAsync("T0001"));
        var listed = (await rig.AdminAsync(HttpMethod.Get, "/admin/rollouts")).Json.AsArray();
        Assert.Equal(new[] { false, true, true }, listed.Select(r => (bool)r!["started"]!).ToArray());
    }

    [Fact]
    public async Task An_older_version_is_offered_only_when_the_rollout_allows_a_downgrade()
    {
        await using var rig = await UpdateRig.StartAsync("sqlite");
        await rig.AddDeviceAsync("T0001");
        await rig.UploadAsync("1.4.0");
        long plain = await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        Assert.Null(await rig.BeatAsync("T0001", firmware: "1.5.0"));
        Assert.Equal(404, (int)(await rig.DownloadAsync("T0001", "1.4.0", "manifest.json")).StatusCode);

        await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{plain}/abort", new JsonObject { ["by"] = "bob" });
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0", ["allowDowngrade"] = true });
        var offer = await rig.BeatAsync("T0001", firmware: "1.5.0");
        Assert.Equal(("1.4.0", true), ((string?)offer?["version"], (bool?)offer?["downgrade"]));
        Assert.Null(await rig.BeatAsync("T0001", firmware: "1.4"));  // "1.4" is 1.4.0: it runs the version
    }

    [Fact]
    public async Task A_rollout_naming_no_bundle_unknown_devices_or_both_devices_and_stores_is_refused()
    {
        await using var rig = await UpdateRig.StartAsync("sqlite");
        await rig.AddDeviceAsync("T0001");
        await rig.UploadAsync("1.4.0");
        async Task<(int, string?)> Create(JsonObject body)
        {
            body["createdBy"] = "alice";
            var (status, json) = await rig.AdminAsync(HttpMethod.Post, "/admin/rollouts", body);
            return (status, (string?)json["error"]);
        }
        Assert.Equal((400, "version: no bundle 1.9.0 is uploaded"), await Create(new JsonObject { ["version"] = "1.9.0" }));
        Assert.Equal((400, "devices: T0404 is not registered"), await Create(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0404") }));
        Assert.Equal((400, "devices, stores: name devices or stores, not both"),
            await Create(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0001"), ["stores"] = new JsonArray("S001") }));
        Assert.Equal((400, "percent: 1..100"), await Create(new JsonObject { ["version"] = "1.4.0", ["percent"] = 0 }));
        Assert.Equal((400, "startsAt: ISO 8601 with an offset, e.g. 2026-12-04T02:00:00Z"), await Create(new JsonObject { ["version"] = "1.4.0", ["startsAt"] = "tomorrow" }));
        Assert.Equal((400, "shell: unknown member"), await Create(new JsonObject { ["version"] = "1.4.0", ["shell"] = 1 }));
        Assert.Equal((201, null), await Create(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0001") }));
    }
}
