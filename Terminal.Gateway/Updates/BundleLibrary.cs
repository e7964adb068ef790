using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Terminal.Gateway.Storage;
using Terminal.Updates.Manifest;

namespace Terminal.Gateway.Updates;

/// <summary>A refused update operation: <see cref="Status"/> is the admin API's HTTP status (400 bad input, 404 not found,
/// 409 conflict with what is stored); the command line exits 1 for all of them.</summary>
public sealed class UpdateRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The bundles a gateway can offer (docs/ota.md, "At the gateway"). An upload is a bundle folder as Terminal.Bundler makes
/// it: <c>manifest.json</c> and the files it names. The manifest is parsed with the terminal's own parser
/// (<see cref="UpdateManifest"/>, so the gateway accepts exactly what a terminal accepts), every file must be there with
/// the manifest's size and SHA-256 and nothing else may come with them. A version names one bundle forever: uploading
/// another manifest under a taken version is refused, also after the bundle was deleted (its manifest stays as a
/// tombstone; the same bundle can be uploaded again).
/// </summary>
public sealed class BundleLibrary(UpdateStore store, TimeProvider clock)
{
    public const string ManifestFileName = "manifest.json";

    /// <summary>Checks and stores a bundle; returns its description (as <see cref="Describe"/>).</summary>
    public async Task<JsonObject> UploadAsync(byte[] manifestBytes, IReadOnlyDictionary<string, byte[]> files, string uploadedBy, CancellationToken ct = default)
    {
        CheckName(uploadedBy, "uploadedBy");
        UpdateManifest manifest;
        try
        {
            manifest = UpdateManifest.Parse(manifestBytes, 0, manifestBytes.Length);
        }
        catch (ManifestException e)
        {
            throw new UpdateRefusedException(400, "manifest.json: " + e.Message);
        }

        var names = manifest.FileNames();
        foreach (string name in files.Keys)
            if (!names.Contains(name, StringComparer.Ordinal)) throw new UpdateRefusedException(400, $"{Printable(name)}: not a file of the manifest");
        var stored = new List<(BundleFileRecord, byte[])>();
        for (int i = 0; i < manifest.FileCount; i++)
        {
            string name = manifest.FileName(i);
            if (!files.TryGetValue(name, out byte[]? content)) throw new UpdateRefusedException(400, $"{name}: missing (the manifest names it)");
            if (content.Length != manifest.FileSize(i)) throw new UpdateRefusedException(400, $"{name}: {content.Length} bytes, the manifest says {manifest.FileSize(i)}");
            byte[] sha = SHA256.HashData(content);
            if (!CryptographicOperations.FixedTimeEquals(sha, manifest.FileSha256(i))) throw new UpdateRefusedException(400, $"{name}: SHA-256 differs from the manifest's");
            stored.Add((new BundleFileRecord(name, i, content.Length, Convert.ToHexStringLower(sha)), content));
        }

        string manifestSha = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
        var existing = await store.BundleAsync(manifest.Version, ct).ConfigureAwait(false);
        if (existing != null) Conflict(existing, manifestSha);
        var bundle = new BundleRecord(manifest.Version, manifestBytes, manifestSha, manifest.EntryType + "." + manifest.EntryMethod, manifest.FileCount,
            manifest.TotalBytes, clock.GetUtcNow().ToUnixTimeMilliseconds(), uploadedBy, null);
        if (!await store.AddBundleAsync(bundle, stored, ct).ConfigureAwait(false))
        {
            // Another upload of this version won the race (another instance): say what it holds now.
            Conflict(await store.BundleAsync(manifest.Version, ct).ConfigureAwait(false) ?? bundle, manifestSha);
        }
        return await DescribeAsync(manifest.Version, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("bundle not stored");
    }

    /// <summary>Reads a bundle folder: its manifest.json and every .pe file beside it.</summary>
    public static (byte[] Manifest, Dictionary<string, byte[]> Files) ReadFolder(string folder)
    {
        string manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath)) throw new UpdateRefusedException(400, $"{folder}: no {ManifestFileName} (a folder made by Terminal.Bundler)");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(folder, "*.pe")) files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        return (File.ReadAllBytes(manifestPath), files);
    }

    public async Task<JsonArray> ListAsync(CancellationToken ct = default)
    {
        var list = new JsonArray();
        foreach (var b in await store.BundlesAsync(ct).ConfigureAwait(false)) list.Add(Summary(b));
        return list;
    }

    /// <summary>The bundle with its files and requirements, or null when the version was never uploaded.</summary>
    public async Task<JsonObject?> DescribeAsync(string version, CancellationToken ct = default)
    {
        var bundle = AppVersion.IsValid(version) ? await store.BundleAsync(version, ct).ConfigureAwait(false) : null;
        if (bundle == null) return null;
        var manifest = UpdateManifest.Parse(bundle.Manifest, 0, bundle.Manifest.Length);
        var json = Summary(bundle);
        json["manifestSha256"] = bundle.ManifestSha256;
        var requires = new JsonArray();
        for (int i = 0; i < manifest.RequireCount; i++)
            requires.Add(new JsonObject { ["assembly"] = manifest.RequiredAssembly(i), ["version"] = manifest.RequiredVersion(i) });
        json["requires"] = requires;
        var files = new JsonArray();
        for (int i = 0; i < manifest.FileCount; i++)
            files.Add(new JsonObject { ["name"] = manifest.FileName(i), ["size"] = manifest.FileSize(i), ["sha256"] = Convert.ToHexStringLower(manifest.FileSha256(i)) });
        json["files"] = files;
        return json;
    }

    /// <summary>Deletes a bundle's files; refused while a rollout that is not aborted names its version.</summary>
    public async Task<JsonObject> DeleteAsync(string version, CancellationToken ct = default)
    {
        var bundle = AppVersion.IsValid(version) ? await store.BundleAsync(version, ct).ConfigureAwait(false) : null;
        if (bundle == null || bundle.DeletedAt != null) throw new UpdateRefusedException(404, "no such bundle");
        if (await store.VersionInUseAsync(version, ct).ConfigureAwait(false))
            throw new UpdateRefusedException(409, $"bundle {version} is named by a rollout that is not aborted: abort it first");
        if (!await store.DeleteBundleAsync(version, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false))
            throw new UpdateRefusedException(404, "no such bundle");
        return Summary((await store.BundleAsync(version, ct).ConfigureAwait(false))!);
    }

    private static void Conflict(BundleRecord existing, string manifestSha)
    {
        if (existing.ManifestSha256 != manifestSha)
            throw new UpdateRefusedException(409, $"version {existing.Version} was uploaded before with another manifest: a version never changes, give the bundle a new version");
        if (existing.DeletedAt == null) throw new UpdateRefusedException(409, $"bundle {existing.Version} is already uploaded");
    }

    private static JsonObject Summary(BundleRecord b) => new()
    {
        ["version"] = b.Version,
        ["entry"] = b.Entry,
        ["fileCount"] = b.FileCount,
        ["totalBytes"] = b.TotalBytes,
        ["uploadedAt"] = Time(b.UploadedAt),
        ["uploadedBy"] = b.UploadedBy,
        ["deletedAt"] = b.DeletedAt is long at ? Time(at) : null,
    };

    internal static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("o", CultureInfo.InvariantCulture);

    /// <summary>Who made a change: 1..64 characters, no control characters.</summary>
    internal static void CheckName(string? name, string field)
    {
        if (name is null || name.Length is < 1 or > 64 || name.Any(char.IsControl))
            throw new UpdateRefusedException(400, $"{field}: 1..64 characters naming who makes the change");
    }

    private static string Printable(string name) => name.Length > 64 || name.Any(char.IsControl) ? "(unprintable name)" : name;
}
