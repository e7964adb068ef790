using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>Rewrites the newest journal snapshot in the layout of an earlier firmware, as a device updated in the field has it.</summary>
internal static class JournalRewriter
{
    /// <summary>
    /// From version 3 (what a terminal that never vended writes): version 2 has no totals in the header and no
    /// wallet name in the records; version 1 also no orderExpires.
    /// </summary>
    public static void RewriteAs(MemoryStorage storage, byte version)
    {
        var store = new JournalStore(storage);
        byte[] buffer = new byte[16384];
        int length = store.Load(buffer);
        int start = JournalStore.PayloadOffset;
        Assert.Equal(RecordCodec.VersionWithoutVend, buffer[start]);
        byte[] old = new byte[16384];
        Array.Copy(buffer, start, old, start, RecordCodec.CommonHeaderLength);
        old[start] = version;
        int count = buffer[start + 9];
        int p = start + RecordCodec.HeaderLength;
        int q = start + RecordCodec.CommonHeaderLength;
        var scratch = new TransactionRecord();
        for (int i = 0; i < count; i++)
        {
            int next = RecordCodec.Read(scratch, buffer, p, start + length, RecordCodec.VersionWithoutVend);
            Assert.True(next > 0);
            int kept = next - p - (1 + scratch.WalletName.Length) - (version == RecordCodec.VersionWithoutExpiry ? 8 : 0);
            Array.Copy(buffer, p, old, q, kept);
            q += kept;
            p = next;
        }

        store.Commit(old, q - start);
    }
}
