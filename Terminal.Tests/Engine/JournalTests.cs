using Terminal.Core.Checksums;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class JournalTests
{
    [Fact]
    public void Crc32_matches_the_reference_algorithm()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8.ToArray(), 0, 9));
        var random = new Random(7);
        for (int n = 0; n < 50; n++)
        {
            byte[] data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            Assert.Equal(BitwiseCrc(data), Crc32.Compute(data, 0, data.Length));
        }
    }

    private static uint BitwiseCrc(byte[] data)
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

    [Fact]
    public void Store_alternates_slots_and_loads_the_newest()
    {
        var storage = new MemoryStorage();
        var store = new JournalStore(storage);
        byte[] buffer = new byte[256];
        Assert.Equal(-1, store.Load(buffer));
        for (int i = 1; i <= 5; i++)
        {
            buffer[JournalStore.PayloadOffset] = (byte)i;
            store.Commit(buffer, 1);
        }

        Assert.NotNull(storage.Get("journal.a"));
        Assert.NotNull(storage.Get("journal.b"));
        var again = new JournalStore(storage);
        Assert.Equal(1, again.Load(buffer));
        Assert.Equal(5, buffer[JournalStore.PayloadOffset]);
        Assert.Equal(5, again.Sequence);
    }

    [Theory]
    [InlineData(TearMode.Truncate)]
    [InlineData(TearMode.Overwrite)]
    public void A_write_torn_at_any_byte_loads_the_previous_or_the_new_state(TearMode tear)
    {
        for (int cut = 0; cut <= 60; cut++)
        {
            var storage = new MemoryStorage { Tear = tear };
            var store = new JournalStore(storage);
            byte[] buffer = new byte[256];
            for (int i = 1; i <= 3; i++)
            {
                Array.Fill(buffer, (byte)(10 * i), JournalStore.PayloadOffset, 40);
                store.Commit(buffer, 40);
            }

            storage.CutAfterBytes = cut;
            Array.Fill(buffer, (byte)40, JournalStore.PayloadOffset, 40);
            Assert.Throws<PowerCutException>(() => store.Commit(buffer, 40));
            storage.Reboot();

            var loaded = new JournalStore(storage);
            byte[] read = new byte[256];
            Assert.Equal(40, loaded.Load(read));
            byte value = read[JournalStore.PayloadOffset];
            Assert.True(cut == 60 ? value == 40 : value == 30, "cut " + cut + " loaded " + value);
            Assert.All(read.Skip(JournalStore.PayloadOffset).Take(40), b => Assert.Equal(value, b));
        }
    }

    [Fact]
    public void Corrupt_slots_are_ignored()
    {
        var storage = new MemoryStorage();
        var store = new JournalStore(storage);
        byte[] buffer = new byte[128];
        buffer[JournalStore.PayloadOffset] = 1;
        store.Commit(buffer, 1);
        buffer[JournalStore.PayloadOffset] = 2;
        store.Commit(buffer, 1);
        byte[] b = storage.Get("journal.a")!;
        b[JournalStore.PayloadOffset] ^= 0x01; // a flipped bit in the newest record
        Assert.Equal(1, new JournalStore(storage).Load(buffer));
        Assert.Equal(1, buffer[JournalStore.PayloadOffset]);

        storage.Set("journal.b", new byte[] { 1, 2, 3 });
        Assert.Equal(-1, new JournalStore(storage).Load(buffer));
    }

    [Fact]
    public void Journal_round_trips_records_and_the_counter()
    {
        var storage = new MemoryStorage();
        var journal = new TransactionJournal(storage, null, 3);
        Assert.True(journal.Load());
        TransactionRecord r = journal.Begin(TransactionKind.SalePaymentCode, null);
        r.State = TransactionState.Final;
        r.Status = FinalStatus.Success;
        r.AmountMinor = 123456789012;
        r.RefundedMinor = 5;
        r.CreatedEpochMs = -1;
        r.Flags = TransactionRecord.FlagVoided;
        r.CancelReason = CancelReason.Aborted;
        r.Currency.SetAscii("JPY");
        r.RequestId.SetAscii(new string('R', 64));
        r.PaymentId.SetAscii("P");
        r.Reference.SetAscii("ref with spaces");
        r.PaymentCode.SetAscii("2810");
        r.ResultCode.SetAscii("SUCCESS");
        r.TargetRequestId.SetAscii("");
        r.ExternalId.SetAscii("X");
        Assert.True(journal.Commit());

        var loaded = new TransactionJournal(storage, null, 3);
        Assert.True(loaded.Load());
        Assert.Equal(1, loaded.Count);
        Assert.Equal(2, loaded.NextNumber);
        TransactionRecord l = loaded.Get(0);
        Assert.Equal(1, l.Number);
        Assert.Equal(TransactionKind.SalePaymentCode, l.Kind);
        Assert.Equal(FinalStatus.Success, l.Status);
        Assert.Equal(123456789012, l.AmountMinor);
        Assert.Equal(5, l.RefundedMinor);
        Assert.Equal(-1, l.CreatedEpochMs);
        Assert.Equal(CancelReason.Aborted, l.CancelReason);
        Assert.True(l.HasFlag(TransactionRecord.FlagVoided));
        Assert.Equal(new string('R', 64), l.RequestId.ToString());
        Assert.Equal("ref with spaces", l.Reference.ToString());
        Assert.Equal("X", l.ExternalId.ToString());
    }

    [Fact]
    public void Compaction_keeps_the_last_N_finished_and_every_unfinished_transaction()
    {
        var storage = new MemoryStorage();
        var journal = new TransactionJournal(storage, null, 3);
        journal.Load();
        TransactionRecord open = journal.Begin(TransactionKind.SaleOrderCode, null);
        open.State = TransactionState.OrderCreated;
        journal.Commit();
        for (int i = 0; i < 10; i++)
        {
            TransactionRecord r = journal.Begin(TransactionKind.SalePaymentCode, null);
            r.State = TransactionState.Final;
            r.Status = FinalStatus.Success;
            r.Reference.SetAscii("S" + i);
            Assert.True(journal.Commit());
        }

        var loaded = new TransactionJournal(storage, null, 3);
        loaded.Load();
        Assert.Equal(4, loaded.Count);
        Assert.Equal(TransactionState.OrderCreated, loaded.Get(0).State);
        Assert.Equal(new[] { "S7", "S8", "S9" }, Enumerable.Range(1, 3).Select(i => loaded.Get(i).Reference.ToString()));
        Assert.Equal(12, loaded.NextNumber);
        Assert.All(storage.WriteSizes, size => Assert.True(size < 1200));
    }

    [Fact]
    public void The_counter_survives_even_when_records_are_compacted_away()
    {
        var storage = new MemoryStorage();
        var journal = new TransactionJournal(storage, null, 1);
        journal.Load();
        var seen = new HashSet<long>();
        for (int boot = 0; boot < 5; boot++)
        {
            journal = new TransactionJournal(storage, null, 1);
            journal.Load();
            TransactionRecord r = journal.Begin(TransactionKind.SalePaymentCode, null);
            Assert.True(seen.Add(r.Number));
            r.State = TransactionState.Final;
            journal.Commit();
        }
    }

    [Fact]
    public void Begin_never_drops_the_record_it_is_told_to_keep()
    {
        var journal = new TransactionJournal(new MemoryStorage(), null, 1);
        journal.Load();
        TransactionRecord sale = journal.Begin(TransactionKind.SalePaymentCode, null);
        sale.State = TransactionState.Final;
        sale.Reference.SetAscii("keep");
        journal.Commit();
        TransactionRecord refund = journal.Begin(TransactionKind.Refund, sale);
        Assert.NotSame(sale, refund);
        Assert.Equal("keep", sale.Reference.ToString());
    }
}

public sealed class JournalResizeTests
{
    [Fact]
    public void A_snapshot_from_a_larger_configuration_keeps_unfinished_and_newest_finished()
    {
        var storage = new MemoryStorage();
        var big = new TransactionJournal(storage, null, 10);
        big.Load();
        for (int i = 0; i < 10; i++)
        {
            TransactionRecord r = big.Begin(TransactionKind.SalePaymentCode, null);
            r.Reference.SetAscii("F" + i);
            r.State = i == 1 ? TransactionState.PayPending : TransactionState.Final;
            Assert.True(big.Commit());
        }

        var small = new TransactionJournal(storage, null, 2);
        Assert.True(small.Load());
        Assert.Equal(new[] { "F1", "F7", "F8", "F9" }, Enumerable.Range(0, small.Count).Select(i => small.Get(i).Reference.ToString()));
        Assert.Equal(11, small.NextNumber);
        Assert.NotNull(small.FindUnfinished());
    }

    [Fact]
    public void An_unreadable_journal_stops_the_engine_instead_of_being_overwritten()
    {
        var rig = new EngineRig();
        rig.Cpm(100, "KEEP");
        foreach (string slot in new[] { "journal.a", "journal.b" })
        {
            // Same framing, unknown payload version: valid CRC, undecodable content.
            byte[] a = rig.Storage.Get(slot)!;
            a[Terminal.Payments.Journal.JournalStore.PayloadOffset] = 99;
            uint crc = Crc32.Compute(a, 0, a.Length - 4);
            BitConverter.GetBytes(crc).CopyTo(a, a.Length - 4);
            rig.Storage.Set(slot, a);
        }

        var engine = new PaymentEngine(rig.Config.Payments, rig.Server, new PortableMac(EngineRig.Key), rig.Storage, rig.Clock, rig.Sleeper, rig.Random, null!, null!);
        Assert.False(engine.Open());
        int writes = rig.Storage.WriteSizes.Count;
        Assert.Equal(EngineCodes.StorageError, engine.RunSale(new SaleRequest { Mode = TransactionKind.SalePaymentCode, AmountMinor = 1, PaymentCode = "1" }).ResultCode);
        Assert.Equal(writes, rig.Storage.WriteSizes.Count);
    }
}
