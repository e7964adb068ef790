using System.Text;
using System.Text.Json.Nodes;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>
/// Bundles uploaded through the admin API (docs/ota.md, "At the gateway"): the manifest is parsed with the terminal's
/// own parser, every file must match its size and SHA-256, nothing may come with them, and a version names one bundle
/// forever (also after it was deleted).
/// </summary>
public sealed class BundleUploadTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_bundle_made_by_the_bundler_is_stored_and_every_bad_upload_is_refused_with_the_reason(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        string folder = rig.MakeBundle("1.4.0");
        byte[] manifest = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));

        async Task<(int Status, string Error)> Upload(JsonObject body)
        {
            var (status, json) = await rig.AdminAsync(HttpMethod.Post, "/admin/bundles", body);
            return (status, (string?)json["error"] ?? "");
        }

        // A manifest the terminal would refuse (unknown member), a file whose bytes differ, one cut short, one missing, one extra.
        var badManifest = await Upload(UpdateRig.UploadBody(folder, tweak: (name, bytes) =>
            name == "manifest.json" ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("{\"format\":1,", "{\"format\":1,\"shell\":1,", StringComparison.Ordinal)) : bytes));
        var hashMismatch = await Upload(UpdateRig.UploadBody(folder, tweak: (name, bytes) =>
        {
            if (name != "Terminal.Core.pe") return bytes;
            byte[] changed = (byte[])bytes.Clone();
            changed[12_345] ^= 0x01;
            return changed;
        }));
        var truncated = await Upload(UpdateRig.UploadBody(folder, tweak: (name, bytes) => name == "Terminal.Payments.pe" ? bytes[..^1] : bytes));
        var missing = UpdateRig.UploadBody(folder);
        missing["files"]!.AsObject().Remove("Terminal.Payments.pe");
        var extra = UpdateRig.UploadBody(folder);
        extra["files"]!["Evil.pe"] = Convert.ToBase64String(new byte[10]);
        var noBy = UpdateRig.UploadBody(folder, by: "");

        Assert.Equal((400, "manifest.json: unknown member shell"), badManifest);
        Assert.Equal((400, "Terminal.Core.pe: SHA-256 differs from the manifest's"), hashMismatch);
        Assert.Equal((400, "Terminal.Payments.pe: 69999 bytes, the manifest says 70000"), truncated);
        Assert.Equal((400, "Terminal.Payments.pe: missing (the manifest names it)"), await Upload(missing));
        Assert.Equal((400, "Evil.pe: not a file of the manifest"), await Upload(extra));
        Assert.Equal(400, (await Upload(noBy)).Status);
        Assert.Empty((await rig.AdminAsync(HttpMethod.Get, "/admin/bundles")).Json.AsArray());

        // The negative control: the bundle as the bundler made it is stored, with the manifest's facts.
        var (created, stored) = await rig.AdminAsync(HttpMethod.Post, "/admin/bundles", UpdateRig.UploadBody(folder));
        Assert.Equal(201, created);
        Assert.Equal(("1.4.0", 2, 100_000L, "Terminal.Esp32.Program.Main"), ((string?)stored["version"], (int)stored["fileCount"]!, (long)stored["totalBytes"]!, (string?)stored["entry"]));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifest)), (string?)stored["manifestSha256"]);
        Assert.Contains(stored["requires"]!.AsArray(), r => (string?)r!["assembly"] == "System.Runtime");

        // The same bundle again, and another bundle under the same version: refused, also after the bundle is deleted.
        Assert.Equal((409, "bundle 1.4.0 is already uploaded"), await Upload(UpdateRig.UploadBody(folder)));
        var changedBody = UpdateRig.UploadBody(rig.MakeBundle("1.4.0", copy: "-rebuilt"));
        Assert.StartsWith("version 1.4.0 was uploaded before with another manifest", (await Upload(changedBody)).Error, StringComparison.Ordinal);
        Assert.Equal(409, (await Upload(changedBody)).Status);

        Assert.Equal(200, (await rig.AdminAsync(HttpMethod.Delete, "/admin/bundles/1.4.0")).Status);
        Assert.Equal(404, (await rig.AdminAsync(HttpMethod.Delete, "/admin/bundles/1.4.0")).Status);
        Assert.Equal(409, (await Upload(changedBody)).Status);
        Assert.Equal(201, (await Upload(UpdateRig.UploadBody(folder))).Status);
        Assert.Null((await rig.AdminAsync(HttpMethod.Get, "/admin/bundles/1.4.0")).Json["deletedAt"]);
    }

    [Fact]
    public async Task A_bundle_named_by_a_live_rollout_cannot_be_deleted_until_the_rollout_is_aborted()
    {
        await using var rig = await UpdateRig.StartAsync("sqlite");
        await rig.UploadAsync("1.4.0");
        long id = await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        var (status, json) = await rig.AdminAsync(HttpMethod.Delete, "/admin/bundles/1.4.0");
        Assert.Equal((409, "bundle 1.4.0 is named by a rollout that is not aborted: abort it first"), (status, (string?)json["error"]));
        Assert.Equal(200, (await rig.AdminAsync(HttpMethod.Post, $"/admin/rollouts/{id}/abort", new JsonObject { ["by"] = "alice" })).Status);
        Assert.Equal(200, (await rig.AdminAsync(HttpMethod.Delete, "/admin/bundles/1.4.0")).Status);
    }
}
