using Terminal.Host;
using Terminal.Payments.Journal;
using Terminal.Tests.Engine;
using Xunit;

namespace Terminal.Tests.Storage;

/// <summary>The PC binding on a real folder: its files, and a folder of the earlier format after an upgrade.</summary>
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

    private string[] Files() => Directory.GetFiles(_folder).Select(Path.GetFileName).OfType<string>().Order().ToArray();

    [Fact]
    public void Each_record_is_one_slot_file_that_alternates()
    {
        var storage = new FolderStorage(_folder);
        storage.Write("journal.a", [1, 2, 3], 0, 3);
        Assert.Equal(["journal.a~0"], Files());
        storage.Write("journal.a", [4], 0, 1);
        Assert.Equal(["journal.a~1"], Files());
        Assert.Equal(17, new FileInfo(Path.Combine(_folder, "journal.a~1")).Length);
    }

    [Fact]
    public void A_folder_of_the_earlier_format_keeps_its_journal()
    {
        // What the earlier FolderStorage left on disk: each record's raw bytes under its own name, and a replace
        // of journal.b interrupted after its rename to journal.b.new (its old copy not yet deleted).
        var raw = new MemoryStorage();
        var writer = new JournalStore(raw);
        byte[] buffer = new byte[256];
        for (int i = 1; i <= 3; i++)
        {
            Array.Fill(buffer, (byte)i, JournalStore.PayloadOffset, 64);
            writer.Commit(buffer, 64);
        }

        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, "journal.a"), raw.Get("journal.a")!);
        File.WriteAllBytes(Path.Combine(_folder, "journal.b"), raw.Get("journal.b")!);
        File.WriteAllBytes(Path.Combine(_folder, "journal.b.new"), raw.Get("journal.b")!.Take(20).ToArray());

        var storage = new FolderStorage(_folder);
        Assert.Equal(2, storage.Records.ConvertedRecords);
        Assert.Equal(1, storage.Records.DiscardedPartials);
        Assert.Equal(["journal.a~0", "journal.b~0"], Files());

        var store = new JournalStore(storage);
        byte[] read = new byte[256];
        Assert.Equal(64, store.Load(read));
        Assert.Equal(3, store.Sequence);
        Assert.All(read.Skip(JournalStore.PayloadOffset).Take(64), b => Assert.Equal(3, b));

        Array.Fill(buffer, (byte)4, JournalStore.PayloadOffset, 64);
        store.Commit(buffer, 64);
        var again = new JournalStore(new FolderStorage(_folder));
        Assert.Equal(64, again.Load(read));
        Assert.Equal(4, again.Sequence);
    }
}
