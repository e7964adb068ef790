using Terminal.Core.Text;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Binary layout of the journal payload (little-endian):
    /// <code>
    /// payload  = version:u8(=3 or 4) nextNumber:i64 count:u8 totals(open period) totals(last closed period) record*count
    /// totals   = period:i64 opened:i64 closed:i64 saleCount:i32 saleMinor:i64 refundCount:i32 refundMinor:i64
    ///            voidCount:i32 voidMinor:i64 reviewCount:i32
    /// record   = number:i64 kind:u8 state:u8 status:u8 cancelReason:u8 flags:u8
    ///            amount:i64 refunded:i64 created:i64 finished:i64
    ///            text*8   (currency, requestId, paymentId, reference, paymentCode, resultCode,
    ///                      targetRequestId, externalId)
    ///            orderExpires:i64                                    (version 2 and later)
    ///            text                                                (walletName, version 3 and later)
    ///            vend:u8 vendItem:u16 creditUnits:u16 creditDone:u16 (version 4)
    /// text     = length:u8 bytes
    /// </code>
    /// Version 1 snapshots (no orderExpires; orderExpires is then 0, unknown), version 2 snapshots (no totals:
    /// a first period opened at an unknown time; no wallet names) and version 3 snapshots (no vend fields: sales
    /// that are not vends) are still read. A snapshot is written as version 3 while no record holds a vend, so a
    /// terminal that never vends stays readable by the firmware before vending (an update rolled back, say); the
    /// firmware before version 4 refuses a version 4 snapshot and does not write over it.
    /// </summary>
    internal static class RecordCodec
    {
        public const byte Version = 4;

        /// <summary>The layout before vending (docs/vending.md section 3): still read, and written while no record vends.</summary>
        public const byte VersionWithoutVend = 3;

        /// <summary>The layout before the day totals and wallet names, still readable.</summary>
        public const byte VersionWithoutTotals = 2;

        /// <summary>The first layout, still readable.</summary>
        public const byte VersionWithoutExpiry = 1;

        /// <summary>version, nextNumber, count: the part of the header every version has.</summary>
        public const int CommonHeaderLength = 10;

        /// <summary>The header of versions 3 and 4.</summary>
        public const int HeaderLength = CommonHeaderLength + (2 * DayTotals.Length);

        private const int VendLength = 7;
        private const int TextCount = 8;
        private const int FixedLength = 8 + 5 + (4 * 8);

        /// <summary>Largest encoded record.</summary>
        public static int MaxRecordLength
        {
            get { return FixedLength + 3 + 1 + ((TextCount - 1) * (TransactionRecord.IdCapacity + 1)) + 8 + 1 + TransactionRecord.WalletNameCapacity + VendLength; }
        }

        /// <summary>The version a snapshot of these records is written in: 4 only when one of them is a vend.</summary>
        public static byte VersionFor(TransactionRecord[] records, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (records[i].Vend != VendState.None)
                {
                    return Version;
                }
            }

            return VersionWithoutVend;
        }

        public static int WriteHeader(byte[] buffer, int offset, byte version, long nextNumber, int count, DayTotals open, DayTotals closed)
        {
            buffer[offset] = version;
            JournalStore.WriteInt64(buffer, offset + 1, nextNumber);
            buffer[offset + 9] = (byte)count;
            int p = WriteTotals(open, buffer, offset + CommonHeaderLength);
            return WriteTotals(closed, buffer, p);
        }

        /// <summary>
        /// Reads the totals of a version 3 or 4 header into <paramref name="open"/> and <paramref name="closed"/> (older
        /// versions: a first period of unknown start, nothing closed yet); returns the offset of the first record, or
        /// -1 when the payload is too short.
        /// </summary>
        public static int ReadTotals(byte[] buffer, int offset, int end, byte version, DayTotals open, DayTotals closed)
        {
            int p = offset + CommonHeaderLength;
            if (version < VersionWithoutVend)
            {
                open.Open(1, 0);
                closed.Open(0, 0);
                return p;
            }

            if (end - p < 2 * DayTotals.Length)
            {
                return -1;
            }

            p = ReadTotals(open, buffer, p);
            return ReadTotals(closed, buffer, p);
        }

        public static int Write(TransactionRecord r, byte[] buffer, int offset, byte version)
        {
            JournalStore.WriteInt64(buffer, offset, r.Number);
            buffer[offset + 8] = (byte)r.Kind;
            buffer[offset + 9] = (byte)r.State;
            buffer[offset + 10] = (byte)r.Status;
            buffer[offset + 11] = (byte)r.CancelReason;
            buffer[offset + 12] = (byte)r.Flags;
            JournalStore.WriteInt64(buffer, offset + 13, r.AmountMinor);
            JournalStore.WriteInt64(buffer, offset + 21, r.RefundedMinor);
            JournalStore.WriteInt64(buffer, offset + 29, r.CreatedEpochMs);
            JournalStore.WriteInt64(buffer, offset + 37, r.FinishedEpochMs);
            int p = offset + FixedLength;
            p = WriteText(r.Currency, buffer, p);
            p = WriteText(r.RequestId, buffer, p);
            p = WriteText(r.PaymentId, buffer, p);
            p = WriteText(r.Reference, buffer, p);
            p = WriteText(r.PaymentCode, buffer, p);
            p = WriteText(r.ResultCode, buffer, p);
            p = WriteText(r.TargetRequestId, buffer, p);
            p = WriteText(r.ExternalId, buffer, p);
            JournalStore.WriteInt64(buffer, p, r.OrderExpiresEpochMs);
            p = WriteText(r.WalletName, buffer, p + 8);
            if (version < Version)
            {
                return p;
            }

            buffer[p] = (byte)r.Vend;
            WriteUInt16(buffer, p + 1, r.VendItem);
            WriteUInt16(buffer, p + 3, r.CreditUnits);
            WriteUInt16(buffer, p + 5, r.CreditDone);
            return p + VendLength;
        }

        /// <summary>True for a payload version <see cref="Read"/> can decode.</summary>
        public static bool IsReadable(byte version)
        {
            return version >= VersionWithoutExpiry && version <= Version;
        }

        /// <summary>Decodes one record; returns the offset after it, or -1 when the bytes are not a record.</summary>
        public static int Read(TransactionRecord r, byte[] buffer, int offset, int end, byte version)
        {
            if (end - offset < FixedLength)
            {
                return -1;
            }

            r.Clear();
            r.Number = JournalStore.ReadInt64(buffer, offset);
            r.Kind = (TransactionKind)buffer[offset + 8];
            r.State = (TransactionState)buffer[offset + 9];
            r.Status = (FinalStatus)buffer[offset + 10];
            r.CancelReason = (CancelReason)buffer[offset + 11];
            r.Flags = buffer[offset + 12];
            r.AmountMinor = JournalStore.ReadInt64(buffer, offset + 13);
            r.RefundedMinor = JournalStore.ReadInt64(buffer, offset + 21);
            r.CreatedEpochMs = JournalStore.ReadInt64(buffer, offset + 29);
            r.FinishedEpochMs = JournalStore.ReadInt64(buffer, offset + 37);
            int p = offset + FixedLength;
            p = ReadText(r.Currency, buffer, p, end);
            p = ReadText(r.RequestId, buffer, p, end);
            p = ReadText(r.PaymentId, buffer, p, end);
            p = ReadText(r.Reference, buffer, p, end);
            p = ReadText(r.PaymentCode, buffer, p, end);
            p = ReadText(r.ResultCode, buffer, p, end);
            p = ReadText(r.TargetRequestId, buffer, p, end);
            p = ReadText(r.ExternalId, buffer, p, end);
            if (p < 0 || version == VersionWithoutExpiry)
            {
                return p;
            }

            if (end - p < 8)
            {
                return -1;
            }

            r.OrderExpiresEpochMs = JournalStore.ReadInt64(buffer, p);
            p += 8;
            if (version == VersionWithoutTotals)
            {
                return p;
            }

            p = ReadText(r.WalletName, buffer, p, end);
            if (p < 0 || version == VersionWithoutVend)
            {
                return p;
            }

            if (end - p < VendLength || buffer[p] > (byte)VendState.Closed)
            {
                return -1;
            }

            r.Vend = (VendState)buffer[p];
            r.VendItem = ReadUInt16(buffer, p + 1);
            r.CreditUnits = ReadUInt16(buffer, p + 3);
            r.CreditDone = ReadUInt16(buffer, p + 5);
            return r.CreditDone > r.CreditUnits ? -1 : p + VendLength;
        }

        private static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        private static int ReadUInt16(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8);
        }

        private static int WriteTotals(DayTotals t, byte[] buffer, int p)
        {
            JournalStore.WriteInt64(buffer, p, t.Period);
            JournalStore.WriteInt64(buffer, p + 8, t.OpenedEpochMs);
            JournalStore.WriteInt64(buffer, p + 16, t.ClosedEpochMs);
            JournalStore.WriteInt32(buffer, p + 24, t.SaleCount);
            JournalStore.WriteInt64(buffer, p + 28, t.SaleMinor);
            JournalStore.WriteInt32(buffer, p + 36, t.RefundCount);
            JournalStore.WriteInt64(buffer, p + 40, t.RefundMinor);
            JournalStore.WriteInt32(buffer, p + 48, t.VoidCount);
            JournalStore.WriteInt64(buffer, p + 52, t.VoidMinor);
            JournalStore.WriteInt32(buffer, p + 60, t.ReviewCount);
            return p + DayTotals.Length;
        }

        private static int ReadTotals(DayTotals t, byte[] buffer, int p)
        {
            t.Period = JournalStore.ReadInt64(buffer, p);
            t.OpenedEpochMs = JournalStore.ReadInt64(buffer, p + 8);
            t.ClosedEpochMs = JournalStore.ReadInt64(buffer, p + 16);
            t.SaleCount = JournalStore.ReadInt32(buffer, p + 24);
            t.SaleMinor = JournalStore.ReadInt64(buffer, p + 28);
            t.RefundCount = JournalStore.ReadInt32(buffer, p + 36);
            t.RefundMinor = JournalStore.ReadInt64(buffer, p + 40);
            t.VoidCount = JournalStore.ReadInt32(buffer, p + 48);
            t.VoidMinor = JournalStore.ReadInt64(buffer, p + 52);
            t.ReviewCount = JournalStore.ReadInt32(buffer, p + 60);
            return p + DayTotals.Length;
        }

        private static int WriteText(TextField field, byte[] buffer, int offset)
        {
            buffer[offset] = (byte)field.Length;
            return offset + 1 + field.CopyTo(buffer, offset + 1);
        }

        private static int ReadText(TextField field, byte[] buffer, int offset, int end)
        {
            if (offset < 0 || offset >= end)
            {
                return -1;
            }

            int length = buffer[offset];
            if (offset + 1 + length > end || !field.Set(buffer, offset + 1, length))
            {
                return -1;
            }

            return offset + 1 + length;
        }
    }
}
