using System.Security.Cryptography;
using System.Text;
using Terminal.Host;
using Terminal.Loader.Boot;
using Terminal.Payments.Antom;
using Terminal.Tests.Storage;
using Terminal.Updates.Manifest;
using Terminal.Updates.Staging;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// Staging an offered bundle over the record store's storage fault model: refusals, resume, bad bytes, and a power
/// cut at every byte written (download pieces, checks, load list, switch): the terminal always boots a complete
/// version, the old one until the switch, and staging resumes to the same result.
/// </summary>
public sealed class UpdateStagingTests
{
    private const int Piece = 64;
    private static readonly byte[] DeviceKey = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();

    private static readonly Dictionary<string, byte[]> Files = new()
    {
        ["Terminal.Core.pe"] = Bytes(1, 150),
        ["Terminal.Payments.pe"] = Bytes(2, 64),
        ["Terminal.Firmware.pe"] = Bytes(3, 200),
    };

    private static byte[] Bytes(int seed, int length) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    private static byte[] Manifest(string version = "1.2.0", Dictionary<string, byte[]>? files = null) => Encoding.UTF8.GetBytes(
        $"{{\"format\":1,\"version\":\"{version}\",\"entry\":\"Terminal.Esp32.Program.Main\",\"requires\":[{{\"assembly\":\"mscorlib\",\"version\":\"1.17.11.0\"}}],\"files\":["
        + string.Join(",", (files ?? Files).Select(f => $"{{\"name\":\"{f.Key}\",\"size\":{f.Value.Length},\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(f.Value))}\"}}"))
        + "]}");

    private static byte[] Mac(byte[] manifest, byte[]? key = null) =>
        HMACSHA256.HashData(HKDF.Expand(HashAlgorithmName.SHA256, key ?? DeviceKey, 32, Encoding.ASCII.GetBytes(SignatureKeys.UpdateManifest)), manifest);

    private sealed class Source(Dictionary<string, byte[]> files) : IBundleSource
    {
        public int Calls;
        public int Fetch(string fileName, int from, byte[] buffer, int offset, int count)
        {
            Calls++;
            byte[] file = files[fileName];
            int n = Math.Max(0, Math.Min(count, file.Length - from));
            Array.Copy(file, from, buffer, offset, n);
            return n;
        }
    }

    private sealed class Flashed(string mscorlib = "1.17.11.0") : IFlashedVersions
    {
        public string? VersionOf(string assembly) => assembly == "mscorlib" ? mscorlib : null;
    }

    private sealed class Folders(FaultyFolder candidate) : IVersionFolders
    {
        public ILoaderFolder Folder(string version) => new BootSelectorTests.Folder(candidate);
    }

    private sealed class Device
    {
        public readonly FaultyFolder Candidate = new();
        public readonly FaultyFolder Boot = new();

        public BootSelector Selector => new(new BootSelectorTests.Folder(Boot));

        public UpdateStaging Staging(IBundleSource source) => new(Candidate, source, Selector, Piece);

        public StagingStatus Begin(UpdateStaging s, byte[] manifest, byte[]? mac = null, string running = "1.1.0", bool downgrade = false, string mscorlib = "1.17.11.0") =>
            s.Begin(manifest, mac ?? Mac(manifest), new ManifestAuthentication(new HmacSha256Mac(DeviceKey)), running, downgrade, new Flashed(mscorlib));

        public static StagingStatus RunToEnd(UpdateStaging s)
        {
            for (int i = 0; i < 1000 && s.Status == StagingStatus.Working; i++)
            {
                s.Step();
            }

            return s.Status;
        }
    }

    [Fact]
    public void A_bundle_is_staged_piece_by_piece_checked_and_put_on_trial_and_the_loader_reads_it_back()
    {
        var device = new Device();
        var source = new Source(Files);
        UpdateStaging staging = device.Staging(source);
        Assert.Equal(StagingStatus.Working, device.Begin(staging, Manifest()));
        Assert.Equal("", device.Selector.State.Candidate);
        Assert.Equal(StagingStatus.Staged, Device.RunToEnd(staging));
        Assert.Equal(414, staging.StagedBytes);
        Assert.Equal(3 + 1 + 4, source.Calls); // 150, 64 and 200 bytes in 64-byte ranges
        Assert.Equal("1.2.0", device.Selector.State.Candidate);

        var files = new ChunkedAppFiles(new Folders(device.Candidate));
        foreach (var (name, bytes) in Files)
        {
            Assert.Equal(bytes, files.ReadAll("1.2.0", name));
        }

        LoadList list = LoadList.Parse(files.ReadAll("1.2.0", LoadList.FileName));
        Assert.Equal(Files.Keys, list.Files);
        Assert.Equal(("Terminal.Esp32.Program", "Main"), (list.EntryType, list.EntryMethod));
    }

    [Theory]
    [InlineData("other-device", "manifest not authenticated for this terminal")]
    [InlineData("heartbeat-key", "manifest not authenticated for this terminal")]
    [InlineData("same-version", "version 1.2.0 is running already")]
    [InlineData("downgrade", "version 1.2.0 is older than 1.3 and the offer allows no downgrade")]
    [InlineData("runtime", "requires mscorlib 1.17.11.0, this terminal has 1.17.10.0")]
    [InlineData("malformed", "manifest refused: ")]
    public void Offers_the_terminal_must_not_take_are_refused_before_anything_is_written(string offer, string reason)
    {
        var device = new Device();
        UpdateStaging staging = device.Staging(new Source(Files));
        byte[] manifest = offer == "malformed" ? Encoding.UTF8.GetBytes("{\"format\":1,\"version\":\"1.2.0\"}") : Manifest();
        byte[] mac = offer switch
        {
            "other-device" => Mac(manifest, Enumerable.Range(8, 32).Select(i => (byte)i).ToArray()),
            "heartbeat-key" => HMACSHA256.HashData(HKDF.Expand(HashAlgorithmName.SHA256, DeviceKey, 32, Encoding.ASCII.GetBytes(SignatureKeys.HeartbeatAnswer)), manifest),
            _ => Mac(manifest),
        };
        string running = offer switch { "same-version" => "1.2", "downgrade" => "1.3", _ => "1.1.0" };
        StagingStatus status = device.Begin(staging, manifest, mac, running, false, offer == "runtime" ? "1.17.10.0" : "1.17.11.0");
        Assert.Equal(StagingStatus.Refused, status);
        Assert.StartsWith(reason, staging.Reason, StringComparison.Ordinal);
        Assert.Empty(device.Candidate.Names);
        Assert.Equal(StagingStatus.Refused, staging.Step());
    }

    [Fact]
    public void A_downgrade_the_offer_allows_is_staged()
    {
        var device = new Device();
        UpdateStaging staging = device.Staging(new Source(Files));
        Assert.Equal(StagingStatus.Working, device.Begin(staging, Manifest(), running: "1.3", downgrade: true));
        Assert.Equal(StagingStatus.Staged, Device.RunToEnd(staging));
    }

    [Fact]
    public void A_file_whose_bytes_differ_from_its_hash_is_downloaded_again_then_refused_and_nothing_switches()
    {
        var served = new Dictionary<string, byte[]>(Files) { ["Terminal.Payments.pe"] = Bytes(9, 64) };
        var device = new Device();
        var source = new Source(served);
        UpdateStaging staging = device.Staging(source);
        device.Begin(staging, Manifest());
        Assert.Equal(StagingStatus.Refused, Device.RunToEnd(staging));
        Assert.Equal("sha256 of Terminal.Payments.pe differs from the manifest", staging.Reason);
        Assert.Equal(3 + 1 + 1, source.Calls); // Terminal.Payments.pe fetched twice
        Assert.Equal("", device.Selector.State.Candidate);
        Assert.Equal("", device.Selector.ChooseAtBoot());
    }

    [Fact]
    public void A_source_that_ends_before_the_manifest_size_is_refused_as_truncated()
    {
        var served = new Dictionary<string, byte[]>(Files) { ["Terminal.Firmware.pe"] = Files["Terminal.Firmware.pe"][..150] };
        var device = new Device();
        UpdateStaging staging = device.Staging(new Source(served));
        device.Begin(staging, Manifest());
        Assert.Equal(StagingStatus.Refused, Device.RunToEnd(staging));
        Assert.Equal("truncated: Terminal.Firmware.pe ends before its manifest size", staging.Reason);
        Assert.Equal("", device.Selector.State.Candidate);
    }

    [Fact]
    public void A_new_offer_empties_a_folder_staged_for_another_version_and_the_same_offer_resumes()
    {
        var device = new Device();
        var source = new Source(Files);
        UpdateStaging first = device.Staging(source);
        device.Begin(first, Manifest());
        for (int i = 0; i < 4; i++) first.Step();
        int calls = source.Calls;

        UpdateStaging resumed = device.Staging(source);
        device.Begin(resumed, Manifest());
        Assert.Equal(StagingStatus.Staged, Device.RunToEnd(resumed));
        Assert.Equal(8, source.Calls); // nothing fetched twice
        Assert.True(calls > 0);

        var other = new Dictionary<string, byte[]> { ["Terminal.Core.pe"] = Bytes(5, 10) };
        UpdateStaging next = device.Staging(new Source(other));
        device.Begin(next, Manifest("1.3.0", other), running: "1.2.0");
        Assert.DoesNotContain(device.Candidate.Names, n => n.StartsWith("Terminal.Firmware.pe", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CutShape.Truncated)]
    [InlineData(CutShape.OverOldBytes)]
    [InlineData(CutShape.ZeroFilled)]
    [InlineData(CutShape.Uncommitted)]
    public void A_power_cut_at_every_byte_of_staging_and_the_switch_boots_a_complete_version_and_resumes(CutShape shape)
    {
        var reference = new Device();
        UpdateStaging full = reference.Staging(new Source(Files));
        reference.Begin(full, Manifest());
        Device.RunToEnd(full);
        long total = reference.Candidate.BytesWritten + reference.Boot.BytesWritten;
        Assert.True(total > 414);

        int cutBeforeSwitch = 0;
        for (long cut = 0; cut < total; cut++)
        {
            var device = new Device();
            device.Candidate.Shape = shape;
            device.Boot.Shape = shape;
            UpdateStaging staging = device.Staging(new Source(Files));
            long left = cut;
            device.Candidate.CutAfterBytes = left;
            try
            {
                device.Begin(staging, Manifest());
                while (staging.Status == StagingStatus.Working)
                {
                    staging.Step();
                    left = cut - device.Candidate.BytesWritten;
                    device.Boot.CutAfterBytes = Math.Max(0, left);
                }
            }
            catch (IOException)
            {
            }

            device.Candidate.Reboot();
            device.Boot.Reboot();
            string booted = device.Selector.State.Candidate;
            if (booted == "")
            {
                cutBeforeSwitch++;
            }
            else
            {
                // Switched: every file of the candidate must be complete.
                var read = new ChunkedAppFiles(new Folders(device.Candidate));
                foreach (var (name, bytes) in Files) Assert.Equal(bytes, read.ReadAll("1.2.0", name));
            }

            UpdateStaging again = device.Staging(new Source(Files));
            device.Begin(again, Manifest());
            Assert.Equal(StagingStatus.Staged, Device.RunToEnd(again));
            var files = new ChunkedAppFiles(new Folders(device.Candidate));
            foreach (var (name, bytes) in Files) Assert.Equal(bytes, files.ReadAll("1.2.0", name));
            Assert.Equal("1.2.0", device.Selector.State.Candidate);
        }

        Assert.True(cutBeforeSwitch > 400, $"only {cutBeforeSwitch} cuts before the switch");
    }
}
