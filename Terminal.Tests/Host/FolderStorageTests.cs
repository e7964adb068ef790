using System.Text;
using Terminal.Host;
using Xunit;

namespace Terminal.Tests.Host;

public sealed class FolderStorageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "terminal-storage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static string ReadText(FolderStorage storage, string name)
    {
        byte[] buffer = new byte[256];
        int n = storage.Read(name, buffer, 0, buffer.Length);
        return n < 0 ? "<absent>" : Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public void Write_read_replace_delete()
    {
        var storage = new FolderStorage(_folder);
        Assert.Equal("<absent>", ReadText(storage, "journal.a"));
        storage.Write("journal.a", B("xxfirstxx"), 2, 5);
        Assert.Equal("first", ReadText(storage, "journal.a"));
        storage.Write("journal.a", B("second, longer"), 0, 14);
        Assert.Equal("second, longer", ReadText(storage, "journal.a"));

        byte[] small = new byte[3];
        Assert.Equal(14, storage.Read("journal.a", small, 0, 3));
        Assert.Equal("sec", Encoding.ASCII.GetString(small));

        storage.Delete("journal.a");
        storage.Delete("journal.a");
        Assert.Equal("<absent>", ReadText(storage, "journal.a"));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("x.tmp")]
    [InlineData("x.new")]
    public void Bad_names_are_refused(string name)
    {
        var storage = new FolderStorage(_folder);
        Assert.Throws<ArgumentException>(() => storage.Write(name, new byte[1], 0, 1));
    }

    /// <summary>The files a crash can leave at each step of a replace of "old" by "new".</summary>
    public static TheoryData<string, string[], string> CrashStates => new()
    {
        // step 1 cut: partial temporary file; the old record stays
        { "temp partial", new[] { "rec=old", "rec.tmp=ne" }, "old" },
        // step 1 done, step 2 not: complete temporary file, not yet committed
        { "temp complete", new[] { "rec=old", "rec.tmp=new" }, "old" },
        // step 2 done: committed, old not yet deleted
        { "renamed", new[] { "rec=old", "rec.new=new" }, "new" },
        // step 3 done: old deleted, new not yet moved
        { "old deleted", new[] { "rec.new=new" }, "new" },
        // first write ever, cut in step 1
        { "first write torn", new[] { "rec.tmp=n" }, "<absent>" },
    };

    [Theory]
    [MemberData(nameof(CrashStates))]
    public void A_replace_cut_at_any_step_is_finished_or_undone_at_startup(string step, string[] files, string expected)
    {
        Directory.CreateDirectory(_folder);
        foreach (string file in files)
        {
            string[] parts = file.Split('=');
            File.WriteAllText(Path.Combine(_folder, parts[0]), parts[1]);
        }

        var storage = new FolderStorage(_folder);
        Assert.True(expected == ReadText(storage, "rec"), step);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        Assert.Empty(Directory.GetFiles(_folder, "*.new"));

        storage.Write("rec", B("newer"), 0, 5);
        Assert.Equal("newer", ReadText(new FolderStorage(_folder), "rec"));
    }

    [Fact]
    public void The_journal_runs_on_folder_storage()
    {
        var storage = new FolderStorage(_folder);
        var journal = new Terminal.Firmware.Journal.TransactionJournal(storage, null, 2);
        Assert.True(journal.Load());
        var r = journal.Begin(Terminal.Firmware.Journal.TransactionKind.SalePaymentCode, null);
        r.Reference.SetAscii("on disk");
        Assert.True(journal.Commit());

        var again = new Terminal.Firmware.Journal.TransactionJournal(new FolderStorage(_folder), null, 2);
        Assert.True(again.Load());
        Assert.Equal("on disk", again.Get(0).Reference.ToString());
    }
}
