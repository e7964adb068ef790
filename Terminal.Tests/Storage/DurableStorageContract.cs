using System.Text;
using Terminal.Core.Ports;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Storage;

/// <summary>
/// What every <see cref="IDurableStorage"/> binding promises, run against each binding's medium: the PC folder
/// (<see cref="FolderStorageContractTests"/>) and the in-memory fault-injecting folder that stands for the
/// ESP32's flash (<see cref="FaultyFolderContractTests"/>). The faults themselves are in
/// <see cref="RecordStoreFaultTests"/>.
/// </summary>
public abstract class DurableStorageContract
{
    /// <summary>Opens the storage on the same medium each time, as a device does at every boot.</summary>
    protected abstract IDurableStorage Boot();

    protected static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    protected static string ReadText(IDurableStorage storage, string name)
    {
        byte[] buffer = new byte[4096];
        int n = storage.Read(name, buffer, 0, buffer.Length);
        return n < 0 ? "<absent>" : Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public void Write_read_replace_delete()
    {
        IDurableStorage storage = Boot();
        Assert.Equal("<absent>", ReadText(storage, "journal.a"));
        storage.Write("journal.a", B("xxfirstxx"), 2, 5);
        Assert.Equal("first", ReadText(storage, "journal.a"));
        storage.Write("journal.a", B("second, longer"), 0, 14);
        Assert.Equal("second, longer", ReadText(storage, "journal.a"));
        storage.Write("journal.a", B("3rd"), 0, 3);
        Assert.Equal("3rd", ReadText(storage, "journal.a"));

        storage.Delete("journal.a");
        storage.Delete("journal.a");
        Assert.Equal("<absent>", ReadText(storage, "journal.a"));
        Assert.Equal("<absent>", ReadText(Boot(), "journal.a"));
    }

    [Fact]
    public void A_short_buffer_gets_the_first_bytes_and_the_full_length()
    {
        IDurableStorage storage = Boot();
        storage.Write("rec", B("0123456789"), 0, 10);
        byte[] small = new byte[8];
        Assert.Equal(10, storage.Read("rec", small, 2, 3));
        Assert.Equal("012", Encoding.ASCII.GetString(small, 2, 3));
        Assert.Equal(0, small[0]);
        Assert.Equal(0, small[5]);
        Assert.Equal(10, storage.Read("rec", [], 0, 0));
    }

    [Fact]
    public void An_empty_record_is_not_an_absent_one()
    {
        IDurableStorage storage = Boot();
        storage.Write("empty", [], 0, 0);
        Assert.Equal(0, storage.Read("empty", new byte[4], 0, 4));
        Assert.Equal(0, Boot().Read("empty", new byte[4], 0, 4));
    }

    [Fact]
    public void Records_survive_a_restart_and_stay_apart()
    {
        IDurableStorage storage = Boot();
        storage.Write("a", B("alpha"), 0, 5);
        storage.Write("b", B("beta"), 0, 4);
        storage.Write("a", B("alpha 2"), 0, 7);
        IDurableStorage again = Boot();
        Assert.Equal("alpha 2", ReadText(again, "a"));
        Assert.Equal("beta", ReadText(again, "b"));
        again.Delete("b");
        Assert.Equal("alpha 2", ReadText(Boot(), "a"));
        Assert.Equal("<absent>", ReadText(Boot(), "b"));
    }

    [Fact]
    public void Many_replacements_leave_the_last_one()
    {
        IDurableStorage storage = Boot();
        for (int i = 0; i < 40; i++)
        {
            byte[] data = B("value " + i + new string('.', i));
            storage.Write("rec", data, 0, data.Length);
            if (i % 13 == 0)
            {
                storage = Boot();
            }
        }

        Assert.Equal("value 39" + new string('.', 39), ReadText(Boot(), "rec"));
    }

    [Fact]
    public void A_large_record_round_trips()
    {
        byte[] data = new byte[70_000];
        new Random(7).NextBytes(data);
        Boot().Write("big", data, 0, data.Length);
        byte[] back = new byte[80_000];
        Assert.Equal(data.Length, Boot().Read("big", back, 0, back.Length));
        Assert.Equal(data, back.AsSpan(0, data.Length).ToArray());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("x.tmp")]
    [InlineData("x.new")]
    [InlineData("x~0")]
    [InlineData("with space")]
    [InlineData("a123456789b123456789c123456789d123456789e12345678")]
    public void Bad_names_are_refused(string name)
    {
        IDurableStorage storage = Boot();
        Assert.Throws<ArgumentException>(() => storage.Write(name, new byte[1], 0, 1));
        Assert.Throws<ArgumentException>(() => storage.Read(name, new byte[1], 0, 1));
        Assert.Throws<ArgumentException>(() => storage.Delete(name));
    }

    [Fact]
    public void The_longest_name_is_accepted()
    {
        string name = new('n', 48);
        Boot().Write(name, B("ok"), 0, 2);
        Assert.Equal("ok", ReadText(Boot(), name));
    }

    [Fact]
    public void The_journal_store_runs_on_it()
    {
        var store = new JournalStore(Boot());
        byte[] buffer = new byte[512];
        for (int i = 1; i <= 5; i++)
        {
            Array.Fill(buffer, (byte)i, JournalStore.PayloadOffset, 100);
            store.Commit(buffer, 100);
        }

        var loaded = new JournalStore(Boot());
        byte[] read = new byte[512];
        Assert.Equal(100, loaded.Load(read));
        Assert.Equal(5, loaded.Sequence);
        Assert.All(read.Skip(JournalStore.PayloadOffset).Take(100), b => Assert.Equal(5, b));
    }
}

/// <summary>The contract on the PC binding: <see cref="Terminal.Host.FolderStorage"/> in a real folder.</summary>
public sealed class FolderStorageContractTests : DurableStorageContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "terminal-storage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    protected override IDurableStorage Boot() => new Terminal.Host.FolderStorage(_folder);
}

/// <summary>The contract on the portable store over the in-memory folder the fault tests use.</summary>
public sealed class FaultyFolderContractTests : DurableStorageContract
{
    private readonly FaultyFolder _folder = new();

    protected override IDurableStorage Boot() => new Terminal.Io.Storage.RecordStore(_folder);
}
