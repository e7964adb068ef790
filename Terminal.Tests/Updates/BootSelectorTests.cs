using Terminal.Loader;
using Terminal.Loader.Boot;
using Terminal.Tests.Storage;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// The switch and the rollback over the storage fault model of the record store's tests (<see cref="FaultyFolder"/>):
/// a power cut at every byte and before every operation of every transition leaves the state before or after it,
/// and always a complete version to boot.
/// </summary>
public sealed class BootSelectorTests
{
    /// <summary>The loader's folder port over the fault model.</summary>
    internal sealed class Folder(FaultyFolder f) : ILoaderFolder
    {
        public int OpenRead(string file) => f.OpenRead(file);
        public int Read(byte[] buffer, int offset, int count) => f.Read(buffer, offset, count);
        public void CloseRead() => f.CloseRead();
        public void Create(string file) => f.Create(file);
        public void Write(byte[] buffer, int offset, int count) => f.Write(buffer, offset, count);
        public void CloseWrite() => f.CloseWrite();
        public void Delete(string file) => f.Delete(file);
    }

    private static string Text(BootState s) => $"{s.Active}|{s.Candidate}|{s.Attempts}|{s.RolledBack}|{s.Reason}";

    [Fact]
    public void A_fresh_device_boots_the_installed_version_and_writes_nothing()
    {
        var folder = new FaultyFolder();
        Assert.Equal("", new BootSelector(new Folder(folder)).ChooseAtBoot());
        Assert.Empty(folder.Names);
    }

    [Fact]
    public void A_switched_version_boots_next_and_once_healthy_stays()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        Assert.False(selector.MarkHealthy());
        selector.Switch("1.1");
        Assert.False(selector.MarkHealthy()); // not booted yet: nothing can have been checked
        Assert.Equal("1.1", selector.ChooseAtBoot());
        Assert.Equal("|1.1|1||", Text(selector.State));
        Assert.True(selector.MarkHealthy());
        Assert.Equal("1.1||0||", Text(selector.State));
        Assert.Equal("1.1", selector.ChooseAtBoot());
        Assert.Equal("1.1", selector.ChooseAtBoot());
    }

    [Fact]
    public void Three_boots_without_the_healthy_mark_roll_back_with_the_reason()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        selector.Switch("1.1");
        Assert.Equal(new[] { "1.1", "1.1", "1.1", "" }, Enumerable.Range(0, 4).Select(_ => selector.ChooseAtBoot()).ToArray());
        Assert.Equal("||0|1.1|not marked healthy in 3 boots", Text(selector.State));
        Assert.Equal("", selector.ChooseAtBoot());
    }

    [Fact]
    public void A_failing_self_test_rolls_back_to_the_known_version()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        selector.Switch("1.1");
        selector.ChooseAtBoot();
        selector.MarkHealthy();
        selector.Switch("1.2");
        Assert.Equal("1.2", selector.ChooseAtBoot());
        Assert.True(selector.RollBack("self-test: qr FAIL"));
        Assert.Equal("1.1||0|1.2|self-test: qr FAIL", Text(selector.State));
        Assert.Equal("1.1", selector.ChooseAtBoot());
        Assert.False(selector.RollBack("again"));
    }

    public static TheoryData<string, CutShape> Transitions()
    {
        var data = new TheoryData<string, CutShape>();
        foreach (string t in new[] { "switch", "attempt", "healthy", "rollback", "three-boots" })
        {
            foreach (CutShape shape in Enum.GetValues<CutShape>())
            {
                data.Add(t, shape);
            }
        }

        return data;
    }

    /// <summary>Brings a device to the state before <paramref name="transition"/> (its own write history, so both
    /// files exist), then runs it.</summary>
    private static void Prepare(BootSelector s, string transition)
    {
        s.Switch("1.1");
        s.ChooseAtBoot();
        s.MarkHealthy();
        switch (transition)
        {
            case "attempt": s.Switch("1.2"); break;
            case "healthy": s.Switch("1.2"); s.ChooseAtBoot(); break;
            case "rollback": s.Switch("1.2"); s.ChooseAtBoot(); break;
            case "three-boots": s.Switch("1.2"); s.ChooseAtBoot(); s.ChooseAtBoot(); s.ChooseAtBoot(); break;
        }
    }

    private static void Run(BootSelector s, string transition)
    {
        switch (transition)
        {
            case "switch": s.Switch("1.2"); break;
            case "attempt": s.ChooseAtBoot(); break;
            case "healthy": s.MarkHealthy(); break;
            case "rollback": s.RollBack("self-test failed"); break;
            case "three-boots": s.ChooseAtBoot(); break;
        }
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void A_power_cut_at_every_byte_of_a_transition_leaves_the_state_before_or_after_it(string transition, CutShape shape)
    {
        var reference = new FaultyFolder();
        var referenceSelector = new BootSelector(new Folder(reference));
        Prepare(referenceSelector, transition);
        string before = Text(referenceSelector.State);
        long start = reference.BytesWritten;
        Run(referenceSelector, transition);
        string after = Text(referenceSelector.State);
        long bytes = reference.BytesWritten - start;
        Assert.NotEqual(before, after);

        int seenBefore = 0;
        int seenAfter = 0;
        for (long cut = 0; cut < bytes; cut++)
        {
            var folder = new FaultyFolder { Shape = shape };
            var selector = new BootSelector(new Folder(folder));
            Prepare(selector, transition);
            folder.CutAfterBytes = cut;
            Assert.ThrowsAny<IOException>(() => Run(selector, transition));
            folder.Reboot();
            string state = Text(new BootSelector(new Folder(folder)).State);
            Assert.True(state == before || state == after, $"{transition} cut after {cut} bytes ({shape}): {state}");
            seenBefore += state == before ? 1 : 0;
            seenAfter += state == after ? 1 : 0;
            string booted = new BootSelector(new Folder(folder)).ChooseAtBoot();
            Assert.Contains(booted, new[] { "1.1", "1.2" });
        }

        Assert.True(seenBefore > 0, "no cut left the state before: the loop did not cut inside the write");
    }

    [Fact]
    public void Both_copies_corrupt_read_as_the_installed_version()
    {
        var folder = new FaultyFolder();
        var selector = new BootSelector(new Folder(folder));
        selector.Switch("1.1");
        selector.Switch("1.2");
        foreach (string name in folder.Names.ToArray())
        {
            byte[] bytes = folder.Get(name)!;
            bytes[bytes.Length / 2] ^= 1;
        }

        Assert.Equal("||0||", Text(selector.State));
    }

    private sealed class Files(Dictionary<string, byte[]> files) : IAppFiles
    {
        public byte[]? ReadAll(string version, string fileName) => files.GetValueOrDefault(version + "/" + fileName);
    }

    [Fact]
    public void A_candidate_that_cannot_be_loaded_is_rolled_back_with_the_reason_and_the_known_version_boots_next()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        selector.Switch("1.2");
        var files = new Files(new() { ["1.2/" + LoadList.FileName] = LoadList.Write("Terminal.Esp32.Program.Main", ["Terminal.Core.pe"]) });
        var e = Assert.Throws<AppLoadException>(() => BootSequence.Run(selector, files));
        Assert.Equal("missing file Terminal.Core.pe", e.Message);
        Assert.Equal("||0|1.2|start failed: AppLoadException missing file Terminal.Core.pe", Text(selector.State));
        Assert.Equal("", selector.ChooseAtBoot());
    }

    [Fact]
    public void A_loadable_version_is_started_through_its_load_list()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        selector.Switch("1.2");
        byte[] loader = File.ReadAllBytes(typeof(BootState).Assembly.Location);
        var files = new Files(new()
        {
            ["1.2/" + LoadList.FileName] = LoadList.Write("Terminal.Loader.Boot.BootState.Installed", ["Terminal.Loader.pe"]),
            ["1.2/Terminal.Loader.pe"] = loader,
        });
        BootSequence.Run(selector, files);
        Assert.Equal("|1.2|1||", Text(selector.State));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A.B.Main\n")]
    [InlineData("A.B.Main\nX.pe")]
    [InlineData("Main\nX.pe\n")]
    [InlineData("A.B.Main\n\nX.pe\n")]
    public void A_cut_or_malformed_load_list_is_refused(string text)
    {
        Assert.Throws<AppLoadException>(() => LoadList.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void A_reason_with_characters_the_record_cannot_hold_is_kept_readable_and_cut()
    {
        var selector = new BootSelector(new Folder(new FaultyFolder()));
        selector.Switch("1.2");
        selector.ChooseAtBoot();
        selector.RollBack("start failed: é\n" + new string('x', 200));
        BootState s = selector.State;
        Assert.Equal(BootState.MaxReasonLength, s.Reason.Length);
        Assert.StartsWith("start failed: ??xxx", s.Reason, StringComparison.Ordinal);
    }
}
