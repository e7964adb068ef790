using Terminal.Core.Checksums;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>
/// The journal snapshot across firmware versions (docs/vending.md section 3, "The journal"): snapshots written by
/// earlier firmware load with every field they had; version 3 (day totals and wallet names, the countertop's
/// firmware) is still what a terminal writes until it holds a vend, then version 4 (the same plus the vend ledger);
/// a power cut at any byte of a version 4 write leaves the previous or the new snapshot; a version this firmware does
/// not know is refused and never written over.
/// </summary>
public sealed class JournalFormatTests
{
    // Written by the firmware of each version (its own RecordCodec, TransactionJournal and JournalStore, built from
    // the commit named) for the same three transactions: a paid CPM sale (wallet ALIPAYCN from version 3), its
    // partial refund, and an MPM order still open (orderExpires from version 2); version 3 also carries day totals.
    // Each is the slot journal.b after the third commit, framing included.

    /// <summary>Version 1, the first layout (commit 37f1d9b).</summary>
    private const string Version1Slot =
        "544A523103000000000000004B0100000104000000000000000301000000000000000209010000D204000000000000EA"
        + "0000000000000000CBD23BA2010000B8D6D23BA2010000035553441354303030312D30303030303030312D4142313223"
        + "323032363132303331313430313038303031303031383838323032303030313233343505494E562D3112323831303131"
        + "3131323232323333333334340753554343455353000002000000000000000309010000EA000000000000000000000000"
        + "000000A051D43BA20100008855D43BA2010000035553441354303030312D30303030303030322D434433340000000753"
        + "5543434553531354303030312D30303030303030312D414231320003000000000000000102000000F401000000000000"
        + "0000000000000000C0F2DB3BA20100000000000000000000035553441354303030312D30303030303030332D45463536"
        + "0005494E562D3200000000E913ADF3";

    /// <summary>Version 2, orderExpires added (commit a8b365f).</summary>
    private const string Version2Slot =
        "544A52310300000000000000630100000204000000000000000301000000000000000209010000D204000000000000EA"
        + "0000000000000000CBD23BA2010000B8D6D23BA2010000035553441354303030312D30303030303030312D4142313223"
        + "323032363132303331313430313038303031303031383838323032303030313233343505494E562D3112323831303131"
        + "31313232323233333333343407535543434553530000000000000000000002000000000000000309010000EA00000000"
        + "0000000000000000000000A051D43BA20100008855D43BA2010000035553441354303030312D30303030303030322D43"
        + "44333400000007535543434553531354303030312D30303030303030312D414231320000000000000000000300000000"
        + "0000000102000000F4010000000000000000000000000000C0F2DB3BA201000000000000000000000355534413543030"
        + "30312D30303030303030332D454635360005494E562D3200000000A086E03BA201000039E286C0";

    /// <summary>Version 3, day totals and wallet names (the countertop, commit 2a71dc5).</summary>
    private const string Version3Slot =
        "544A52310300000000000000EE01000003040000000000000003020000000000000080343A3BA2010000000000000000"
        + "000001000000D20400000000000001000000EA0000000000000000000000000000000000000000000000010000000000"
        + "000000EADC35A201000080343A3BA2010000050000001027000000000000000000000000000000000000010000006400"
        + "0000000000000100000001000000000000000209010000D204000000000000EA0000000000000000CBD23BA2010000B8"
        + "D6D23BA2010000035553441354303030312D30303030303030312D414231322332303236313230333131343031303830"
        + "3031303031383838323032303030313233343505494E562D311232383130313131313232323233333333343407535543"
        + "434553530000000000000000000008414C49504159434E02000000000000000309010000EA0000000000000000000000"
        + "00000000A051D43BA20100008855D43BA2010000035553441354303030312D30303030303030322D4344333400000007"
        + "535543434553531354303030312D30303030303030312D41423132000000000000000000000300000000000000010200"
        + "0000F4010000000000000000000000000000C0F2DB3BA20100000000000000000000035553441354303030312D303030"
        + "30303030332D454635360005494E562D3200000000A086E03BA20100000069A79601";

    public static TheoryData<byte, string> EarlierSnapshots() => new()
    {
        { 1, Version1Slot },
        { 2, Version2Slot },
        { 3, Version3Slot },
    };

    [Theory]
    [MemberData(nameof(EarlierSnapshots))]
    public void A_snapshot_written_by_earlier_firmware_loads_with_every_field_it_had(byte version, string slot)
    {
        var storage = new MemoryStorage();
        storage.Set("journal.b", Convert.FromHexString(slot));
        Assert.Equal(version, storage.Get("journal.b")![JournalStore.PayloadOffset]);
        var journal = new TransactionJournal(storage, null, 3);

        Assert.True(journal.Load());
        Assert.Equal(3, journal.Count);
        Assert.Equal(4, journal.NextNumber);
        TransactionRecord sale = journal.Get(0);
        Assert.Equal((1L, TransactionKind.SalePaymentCode, TransactionState.Final, FinalStatus.Success), (sale.Number, sale.Kind, sale.State, sale.Status));
        Assert.Equal((1234L, 234L, 1796300000000L, 1796300003000L), (sale.AmountMinor, sale.RefundedMinor, sale.CreatedEpochMs, sale.FinishedEpochMs));
        Assert.Equal(("USD", "T0001-00000001-AB12", "20261203114010800100188820200012345", "INV-1", "281011112222333344", "SUCCESS"),
            (sale.Currency.ToString(), sale.RequestId.ToString(), sale.PaymentId.ToString(), sale.Reference.ToString(), sale.PaymentCode.ToString(), sale.ResultCode.ToString()));
        Assert.Equal(version >= 3 ? "ALIPAYCN" : "", sale.WalletName.ToString());
        TransactionRecord refund = journal.Get(1);
        Assert.Equal((TransactionKind.Refund, 234L, "T0001-00000001-AB12"), (refund.Kind, refund.AmountMinor, refund.TargetRequestId.ToString()));
        TransactionRecord order = journal.Get(2);
        Assert.Equal((TransactionKind.SaleOrderCode, TransactionState.OrderCreated, 500L, "INV-2"), (order.Kind, order.State, order.AmountMinor, order.Reference.ToString()));
        Assert.Equal(version >= 2 ? 1796300900000L : 0L, order.OrderExpiresEpochMs);
        Assert.Same(order, journal.FindUnfinished());
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(VendState.None, journal.Get(i).Vend));
        Assert.Null(journal.FindOpenVend());
        if (version >= 3)
        {
            Assert.Equal((2L, 1796290000000L, 1, 1234L, 1, 234L), (journal.Totals.Period, journal.Totals.OpenedEpochMs, journal.Totals.SaleCount, journal.Totals.SaleMinor, journal.Totals.RefundCount, journal.Totals.RefundMinor));
            DayTotals closed = journal.ClosedTotals;
            Assert.Equal((1L, 1796200000000L, 1796290000000L, 5, 10000L, 1, 100L, 1), (closed.Period, closed.OpenedEpochMs, closed.ClosedEpochMs, closed.SaleCount, closed.SaleMinor, closed.VoidCount, closed.VoidMinor, closed.ReviewCount));
        }
        else
        {
            // Before the counters: a first period of unknown start, nothing closed.
            Assert.Equal((1L, 0L, true), (journal.Totals.Period, journal.Totals.OpenedEpochMs, journal.Totals.IsEmpty));
            Assert.Equal(0L, journal.ClosedTotals.Period);
        }
    }

    [Fact]
    public void A_terminal_without_vends_writes_version_3_as_the_countertop_firmware_did_and_version_4_from_its_first_vend()
    {
        var storage = new MemoryStorage();
        storage.Set("journal.b", Convert.FromHexString(Version3Slot));
        var journal = new TransactionJournal(storage, null, 3);
        Assert.True(journal.Load());

        // Written again with no vend: the countertop firmware's very bytes (only the sequence number moves), so a
        // rollback to it reads this terminal's journal.
        Assert.True(journal.Commit());
        byte[] before = Convert.FromHexString(Version3Slot);
        byte[] again = storage.Get("journal.a")!;
        Assert.Equal(RecordCodec.VersionWithoutVend, again[JournalStore.PayloadOffset]);
        Assert.Equal(before.Skip(JournalStore.PayloadOffset).SkipLast(4), again.Skip(JournalStore.PayloadOffset).SkipLast(4));

        TransactionRecord vend = journal.Begin(TransactionKind.SaleOrderCode, null);
        vend.State = TransactionState.Final;
        vend.Status = FinalStatus.Success;
        vend.AmountMinor = 300;
        vend.Currency.SetAscii("USD");
        vend.WalletName.SetAscii("GCASH");
        vend.Vend = VendState.Delivering;
        vend.VendItem = 65535;
        vend.CreditUnits = 3;
        vend.CreditDone = 1;
        journal.Totals.SaleCount++;
        journal.Totals.SaleMinor += 300;
        Assert.True(journal.Commit());
        Assert.Equal(RecordCodec.Version, NewestVersion(storage));

        var loaded = new TransactionJournal(storage, null, 3);
        Assert.True(loaded.Load());
        Assert.Equal(4, loaded.Count);
        Assert.Equal((2, 1534L, 1, 234L), (loaded.Totals.SaleCount, loaded.Totals.SaleMinor, loaded.Totals.RefundCount, loaded.Totals.RefundMinor));
        Assert.Equal((5, 10000L), (loaded.ClosedTotals.SaleCount, loaded.ClosedTotals.SaleMinor));
        Assert.Equal("ALIPAYCN", loaded.Get(0).WalletName.ToString());
        Assert.Equal(1796300900000L, loaded.Get(2).OrderExpiresEpochMs);
        TransactionRecord v = loaded.Get(3);
        Assert.Equal((VendState.Delivering, 65535, 3, 1, "GCASH"), (v.Vend, v.VendItem, v.CreditUnits, v.CreditDone, v.WalletName.ToString()));
        Assert.Same(v, loaded.FindOpenVend());
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(VendState.None, loaded.Get(i).Vend));

        // Once the vend is settled and compacted away, the snapshot is version 3 again.
        v.Vend = VendState.Vended;
        v.CreditDone = 3;
        for (int i = 0; i < 3; i++)
        {
            TransactionRecord sale = loaded.Begin(TransactionKind.SalePaymentCode, null);
            sale.State = TransactionState.Final;
            Assert.True(loaded.Commit());
        }

        Assert.Equal(RecordCodec.VersionWithoutVend, NewestVersion(storage));
    }

    public static TheoryData<TearMode, bool> Tears() => new()
    {
        { TearMode.Truncate, false },
        { TearMode.Overwrite, false },
        { TearMode.Truncate, true },
        { TearMode.Overwrite, true },
    };

    /// <summary>
    /// A version 4 write cut at every byte, torn as truncated or as new bytes over the old: the journal loads the
    /// state before the write or the one after, never a mixture (<paramref name="firstVend"/>: the write that turns a
    /// version 3 journal into version 4; otherwise one pulse more of a credit already in version 4).
    /// </summary>
    [Theory]
    [MemberData(nameof(Tears))]
    internal void A_version_4_write_torn_at_any_byte_loads_the_previous_or_the_new_snapshot(TearMode tear, bool firstVend)
    {
        int size = -1;
        for (int cut = 0; size < 0 || cut <= size; cut++)
        {
            var storage = new MemoryStorage();
            storage.Set("journal.b", Convert.FromHexString(Version3Slot));
            var journal = new TransactionJournal(storage, null, 3);
            Assert.True(journal.Load());
            TransactionRecord vend = journal.Begin(TransactionKind.SalePaymentCode, null);
            vend.State = TransactionState.Final;
            vend.Status = FinalStatus.Success;
            vend.AmountMinor = 400;
            vend.Vend = firstVend ? VendState.CreditDue : VendState.Delivering;
            vend.CreditUnits = 4;
            vend.CreditDone = firstVend ? 0 : 2;
            if (!firstVend)
            {
                Assert.True(journal.Commit());
                vend.CreditDone = 3;
            }
            else
            {
                journal.Totals.SaleCount++;
            }

            int writes = storage.WriteSizes.Count;
            storage.Tear = tear;
            storage.CutAfterBytes = cut;
            Assert.False(journal.Commit(), "the power failed during or right after the write");

            size = storage.WriteSizes[writes];
            storage.Reboot();
            var loaded = new TransactionJournal(storage, null, 3);
            Assert.True(loaded.Load(), "cut " + cut);
            bool isNew = firstVend ? loaded.Count == 4 : loaded.Get(3).CreditDone == 3;
            Assert.True(cut >= size ? isNew : !isNew, "cut " + cut + " of " + size + " loaded the " + (isNew ? "new" : "old") + " snapshot");
            Assert.Equal(firstVend && isNew ? 2 : 1, loaded.Totals.SaleCount);
            Assert.Equal(5, loaded.ClosedTotals.SaleCount);
            Assert.Equal("ALIPAYCN", loaded.Get(0).WalletName.ToString());
            if (isNew || !firstVend)
            {
                TransactionRecord v = loaded.Get(3);
                Assert.Equal((4, firstVend ? 0 : isNew ? 3 : 2), (v.CreditUnits, v.CreditDone));
                Assert.Same(v, loaded.FindOpenVend());
            }
            else
            {
                Assert.Null(loaded.FindOpenVend());
            }
        }
    }

    [Fact]
    public void A_snapshot_of_a_later_version_is_refused_and_never_written_over()
    {
        var storage = new MemoryStorage();
        var journal = new TransactionJournal(storage, null, 3);
        Assert.True(journal.Load());
        TransactionRecord vend = journal.Begin(TransactionKind.SalePaymentCode, null);
        vend.Vend = VendState.Pending;
        Assert.True(journal.Commit());
        byte[] slot = storage.Get("journal.b")!;
        Assert.Equal(RecordCodec.Version, slot[JournalStore.PayloadOffset]);

        // Negative control first: the same bytes re-sealed unchanged load.
        Reseal(slot);
        Assert.True(new TransactionJournal(storage, null, 3).Load());

        slot[JournalStore.PayloadOffset] = RecordCodec.Version + 1;
        Reseal(slot);
        var newer = new TransactionJournal(storage, null, 3);
        Assert.False(newer.Load());
        Assert.Equal(RecordCodec.Version + 1, storage.Get("journal.b")![JournalStore.PayloadOffset]);
    }

    private static byte NewestVersion(MemoryStorage storage)
    {
        byte[] buffer = new byte[16384];
        Assert.True(new JournalStore(storage).Load(buffer) > 0);
        return buffer[JournalStore.PayloadOffset];
    }

    private static void Reseal(byte[] slot)
    {
        uint crc = Crc32.Compute(slot, 0, slot.Length - 4);
        BitConverter.GetBytes(crc).CopyTo(slot, slot.Length - 4);
    }
}
