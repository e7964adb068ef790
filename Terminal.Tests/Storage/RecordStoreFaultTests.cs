using System.Text;
using Terminal.Io.Storage;
using Terminal.Payments.Journal;
using Terminal.Tests.Engine;
using Xunit;

namespace Terminal.Tests.Storage;

/// <summary>
/// <see cref="RecordStore"/> under the faults a device meets: power cut at every byte and before every operation of
/// a write (and of the recovery after it), writes that fail part-way on a full medium, deletes that fail, and the
/// files the earlier format (write name.tmp, rename to name.new, delete name, rename) left, including what
/// nanoFramework's File.Move leaves when its rename fails and its copy fallback fails at any byte.
/// </summary>
public sealed class RecordStoreFaultTests
{
    private static readonly byte[] Old = Encoding.ASCII.GetBytes("old record: 40 bytes of the first state.");
    private static readonly byte[] New = Encoding.ASCII.GetBytes("new record, longer: 63 bytes of the state that replaces it....");

    private static string Text(byte[]? bytes) => bytes == null ? "<absent>" : Encoding.ASCII.GetString(bytes);

    private static byte[]? ReadBytes(RecordStore store, string name)
    {
        byte[] buffer = new byte[1024];
        int n = store.Read(name, buffer, 0, buffer.Length);
        return n < 0 ? null : buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>Power back on: faults cleared, the store opened (and the folder tidied) as at boot.</summary>
    private static RecordStore Boot(FaultyFolder folder)
    {
        folder.Reboot();
        return new RecordStore(folder);
    }

    private static FaultyFolder WithOld(CutShape shape)
    {
        var folder = new FaultyFolder { Shape = shape };
        new RecordStore(folder).Write("rec", Old, 0, Old.Length);
        return folder;
    }

    [Fact]
    public void The_envelope_bytes_are_fixed()
    {
        // Stored records must stay readable by every later firmware: this pins version 1 of the format.
        var folder = new FaultyFolder();
        new RecordStore(folder).Write("rec", [0x41, 0x42], 0, 2);
        Assert.Equal(["rec~0"], folder.Names);
        byte[] framed = [0x52, 0x45, 0x43, 0x01, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x41, 0x42];
        Assert.Equal([.. framed, .. BitConverter.GetBytes(BitwiseCrc32(framed))], folder.Get("rec~0")!);

        new RecordStore(folder).Write("rec", [0x43], 0, 1);
        Assert.Equal(["rec~1"], folder.Names);
        Assert.Equal(2, folder.Get("rec~1")![4]);
    }

    /// <summary>CRC-32 (IEEE), bit by bit: an independent reference for the table-driven one.</summary>
    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    [Theory]
    [InlineData(CutShape.Truncated)]
    [InlineData(CutShape.OverOldBytes)]
    [InlineData(CutShape.ZeroFilled)]
    [InlineData(CutShape.Uncommitted)]
    public void A_replace_cut_at_every_byte_keeps_the_old_record(CutShape shape)
    {
        int total = RecordEnvelope.Overhead + New.Length;
        for (int cut = 0; cut < total; cut++)
        {
            FaultyFolder folder = WithOld(shape);
            var store = new RecordStore(folder);
            folder.CutAfterBytes = cut;
            Assert.Throws<IOException>(() => store.Write("rec", New, 0, New.Length));

            RecordStore after = Boot(folder);
            Assert.True(Text(Old) == Text(ReadBytes(after, "rec")), shape + " cut after " + cut + " bytes");
            Assert.Single(folder.Names);
            after.Write("rec", New, 0, New.Length);
            Assert.Equal(Text(New), Text(ReadBytes(Boot(folder), "rec")));
        }
    }

    [Theory]
    [InlineData(CutShape.Truncated)]
    [InlineData(CutShape.Uncommitted)]
    public void A_first_write_cut_at_every_byte_leaves_no_record(CutShape shape)
    {
        for (int cut = 0; cut < RecordEnvelope.Overhead + New.Length; cut++)
        {
            var folder = new FaultyFolder { Shape = shape, CutAfterBytes = cut };
            Assert.Throws<IOException>(() => new RecordStore(folder).Write("rec", New, 0, New.Length));
            RecordStore after = Boot(folder);
            Assert.Null(ReadBytes(after, "rec"));
            Assert.Empty(folder.Names);
        }
    }

    [Fact]
    public void A_cut_before_any_operation_of_a_replace_or_of_the_recovery_after_it_keeps_one_state()
    {
        FaultyFolder probed = WithOld(CutShape.Truncated);
        var probeStore = new RecordStore(probed);
        int before = probed.Operations;
        probeStore.Write("rec", New, 0, New.Length);
        int operations = probed.Operations - before;
        Assert.Equal(6, operations); // create, header, payload, trailer, close, delete the older copy

        bool sawNew = false;
        for (int cut = 0; cut < operations; cut++)
        {
            FaultyFolder folder = WithOld(CutShape.Truncated);
            var store = new RecordStore(folder);
            folder.CutBeforeOperation = cut;
            try
            {
                // A cut before the last operation (deleting the older copy) is a failed delete to the store,
                // which does not fail the write: the new copy is complete.
                store.Write("rec", New, 0, New.Length);
            }
            catch (IOException)
            {
            }

            Assert.True(folder.Dead, "cut before operation " + cut + " did not happen");

            // What a clean boot reads now is the outcome; a boot cut at any of its own operations must not change it.
            string outcome = Text(ReadBytes(new RecordStore(Clone(folder)), "rec"));
            Assert.True(outcome == Text(Old) || outcome == Text(New), "cut before operation " + cut + ": " + outcome);
            Assert.False(sawNew && outcome == Text(Old), "cut before operation " + cut + " went back to the old record");
            sawNew |= outcome == Text(New);

            for (int bootCut = 0; bootCut < 12; bootCut++)
            {
                FaultyFolder copy = Clone(folder);
                copy.CutBeforeOperation = bootCut;
                try
                {
                    _ = new RecordStore(copy);
                }
                catch (IOException)
                {
                }

                Assert.Equal(outcome, Text(ReadBytes(Boot(copy), "rec")));
                Assert.Single(copy.Names);
            }
        }

        Assert.True(sawNew, "a cut after the new file was closed keeps the new record");
    }

    private static FaultyFolder Clone(FaultyFolder folder)
    {
        var copy = new FaultyFolder { Shape = folder.Shape };
        foreach (string name in folder.Names)
        {
            copy.Set(name, folder.Get(name)!.ToArray());
        }

        return copy;
    }

    [Fact]
    public void A_write_that_fails_part_way_keeps_the_old_record_and_the_next_one_succeeds()
    {
        for (int fail = 0; fail < RecordEnvelope.Overhead + New.Length; fail++)
        {
            FaultyFolder folder = WithOld(CutShape.Truncated);
            var store = new RecordStore(folder);
            folder.FailAfterBytes = fail;
            IOException e = Assert.Throws<IOException>(() => store.Write("rec", New, 0, New.Length));
            Assert.Contains("rec", e.Message);
            Assert.Equal(Text(Old), Text(ReadBytes(store, "rec")));
            Assert.Single(folder.Names);
            Assert.Equal(Text(Old), Text(ReadBytes(Boot(folder), "rec")));

            store.Write("rec", New, 0, New.Length);
            Assert.Equal(Text(New), Text(ReadBytes(store, "rec")));
        }
    }

    [Fact]
    public void A_delete_that_fails_after_a_write_leaves_the_newer_copy_winning()
    {
        FaultyFolder folder = WithOld(CutShape.Truncated);
        var store = new RecordStore(folder);
        folder.FailDeletes = true;
        store.Write("rec", New, 0, New.Length);
        Assert.Equal(1, store.StaleCopies);
        Assert.Equal(2, folder.Names.Count);
        Assert.Equal(Text(New), Text(ReadBytes(store, "rec")));

        byte[] third = Encoding.ASCII.GetBytes("third");
        store.Write("rec", third, 0, third.Length);
        Assert.Equal("third", Text(ReadBytes(store, "rec")));

        RecordStore after = Boot(folder);
        Assert.Equal("third", Text(ReadBytes(after, "rec")));
        Assert.Equal(1, after.RecoveredWrites);
        Assert.Single(folder.Names);
    }

    [Theory]
    [InlineData(CutShape.Truncated)]
    [InlineData(CutShape.OverOldBytes)]
    [InlineData(CutShape.ZeroFilled)]
    [InlineData(CutShape.Uncommitted)]
    public void A_write_over_a_stale_copy_cut_at_every_byte_keeps_the_newer_one(CutShape shape)
    {
        // A failed delete leaves the older copy; the next write goes over it, and a cut there leaves the newer one.
        byte[] third = Encoding.ASCII.GetBytes("third");
        for (int cut = 0; cut < RecordEnvelope.Overhead + third.Length; cut++)
        {
            FaultyFolder folder = WithOld(shape);
            var store = new RecordStore(folder);
            folder.FailDeletes = true;
            store.Write("rec", New, 0, New.Length);
            folder.FailDeletes = false;
            folder.CutAfterBytes = cut;
            Assert.Throws<IOException>(() => store.Write("rec", third, 0, third.Length));
            Assert.True(Text(New) == Text(ReadBytes(Boot(folder), "rec")), shape + " cut after " + cut + " bytes");
            Assert.Single(folder.Names);
        }
    }

    [Fact]
    public void A_flipped_bit_makes_the_record_absent_and_is_counted()
    {
        FaultyFolder folder = WithOld(CutShape.Truncated);
        folder.Get("rec~0")![RecordEnvelope.HeaderLength + 3] ^= 0x10;
        var store = new RecordStore(folder);
        Assert.Null(ReadBytes(store, "rec"));
        Assert.Equal(1, store.DiscardedPartials);

        folder.Set("rec~1", folder.Get("rec~1") ?? []);
        Assert.Null(ReadBytes(store, "rec"));
        Assert.Equal(1, store.CorruptReads);
    }

    [Fact]
    public void A_copy_with_the_wrong_length_or_an_unknown_version_is_refused()
    {
        FaultyFolder folder = WithOld(CutShape.Truncated);
        byte[] good = folder.Get("rec~0")!;
        folder.Set("rec~0", [.. good, 0]);
        Assert.Null(ReadBytes(new RecordStore(Clone(folder)), "rec"));

        byte[] newer = good.ToArray();
        newer[3] = 2;
        folder.Set("rec~0", newer);
        Assert.Null(ReadBytes(new RecordStore(Clone(folder)), "rec"));
    }

    // ---- the earlier format ----

    /// <summary>The files the earlier format could leave, and what must be read after the upgrade.</summary>
    public static TheoryData<string, string[], string> EarlierFormatStates => new()
    {
        { "complete record", ["rec=old"], "old" },
        { "write cut in step 1 (name.tmp partial)", ["rec=old", "rec.tmp=ne"], "old" },
        { "step 1 done, rename not", ["rec=old", "rec.tmp=new"], "old" },
        { "renamed to name.new, old not deleted (the write never returned)", ["rec=old", "rec.new=new"], "old" },
        { "old deleted, name.new not renamed", ["rec.new=new"], "new" },
        { "first write cut in step 1", ["rec.tmp=n"], "<absent>" },
    };

    [Theory]
    [MemberData(nameof(EarlierFormatStates))]
    public void Records_of_the_earlier_format_are_converted(string state, string[] files, string expected)
    {
        var folder = new FaultyFolder();
        foreach (string file in files)
        {
            string[] parts = file.Split('=');
            folder.Set(parts[0], Encoding.ASCII.GetBytes(parts[1]));
        }

        var store = new RecordStore(folder);
        Assert.True(expected == Text(ReadBytes(store, "rec")), state);
        Assert.DoesNotContain(folder.Names, n => n == "rec" || n.EndsWith(".tmp", StringComparison.Ordinal) || n.EndsWith(".new", StringComparison.Ordinal));
        Assert.Equal(expected == "<absent>" ? 0 : 1, store.ConvertedRecords);
        Assert.Equal(expected, Text(ReadBytes(Boot(folder), "rec")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_failed_rename_of_the_earlier_format_whose_copy_broke_at_any_byte_keeps_the_old_record(bool preallocated)
    {
        // The earlier format renamed name.tmp to name.new with File.Move. When the native rename fails, File.Move
        // copies (the destination first set to the full length, so zeros follow what was copied) and deletes the
        // source even when the copy failed: name.new is partial, name.tmp gone, name intact.
        for (int copied = 0; copied <= New.Length; copied++)
        {
            var folder = new FaultyFolder();
            folder.Set("rec", Old.ToArray());
            byte[] partial = new byte[preallocated ? New.Length : copied];
            Array.Copy(New, partial, copied);
            folder.Set("rec.new", partial);

            var store = new RecordStore(folder);
            Assert.Equal(Text(Old), Text(ReadBytes(store, "rec")));
            Assert.Equal(1, store.DiscardedPartials);
            Assert.Equal(["rec~0"], folder.Names);
        }
    }

    [Fact]
    public void A_cut_at_any_byte_or_operation_of_the_conversion_keeps_the_earlier_record()
    {
        int total = RecordEnvelope.Overhead + Old.Length;
        for (int cut = 0; cut < total + 8; cut++)
        {
            var folder = new FaultyFolder();
            folder.Set("rec", Old.ToArray());
            if (cut < total)
            {
                folder.CutAfterBytes = cut;
            }
            else
            {
                folder.CutBeforeOperation = cut - total;
            }

            try
            {
                _ = new RecordStore(folder);
            }
            catch (IOException)
            {
            }

            Assert.Equal(Text(Old), Text(ReadBytes(Boot(folder), "rec")));
            Assert.Equal(["rec~0"], folder.Names);
        }
    }

    [Fact]
    public void A_journal_of_the_earlier_format_loads_after_the_upgrade_even_with_a_broken_final_rename()
    {
        // Journal slots as the earlier firmware stored them: the raw bytes of each record, one file each.
        var raw = new MemoryStorage();
        var writer = new JournalStore(raw);
        byte[] buffer = new byte[256];
        for (int i = 1; i <= 4; i++)
        {
            Array.Fill(buffer, (byte)(10 * i), JournalStore.PayloadOffset, 50);
            writer.Commit(buffer, 50);
        }

        var folder = new FaultyFolder();
        folder.Set("journal.a", raw.Get("journal.a")!);
        folder.Set("journal.b", raw.Get("journal.b")!);
        Assert.Equal(40, LoadedValue(new RecordStore(Clone(folder))));

        // The earlier format's final rename (name.new to name) failing in File.Move's copy at any byte leaves a
        // partial name and no name.new: the storage cannot tell, the journal's own CRC can, and the state before
        // that commit loads.
        byte[] newest = raw.Get("journal.a")!;
        for (int copied = 0; copied < newest.Length; copied++)
        {
            FaultyFolder broken = Clone(folder);
            byte[] partial = new byte[newest.Length];
            Array.Copy(newest, partial, copied);
            broken.Set("journal.a", partial);
            Assert.Equal(30, LoadedValue(new RecordStore(broken)));
        }
    }

    private static int LoadedValue(RecordStore storage)
    {
        byte[] read = new byte[256];
        var store = new JournalStore(storage);
        Assert.Equal(50, store.Load(read));
        return read[JournalStore.PayloadOffset];
    }
}
