using Terminal.Core.Text;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Binary layout of the journal payload (little-endian):
    /// <code>
    /// payload  = version:u8(=2 or 3) nextNumber:i64 count:u8 record*count
    /// record   = number:i64 kind:u8 state:u8 status:u8 cancelReason:u8 flags:u8
    ///            amount:i64 refunded:i64 created:i64 finished:i64
    ///            text*8   (currency, requestId, paymentId, reference, paymentCode, resultCode,
    ///                      targetRequestId, externalId)
    ///            orderExpires:i64                                    (versions 2 and 3)
    ///            vend:u8 vendItem:u16 creditUnits:u16 creditDone:u16 (version 3 only)
    /// text     = length:u8 bytes
    /// </code>
    /// Version 1 snapshots (no orderExpires) are still read; orderExpires is then 0 (unknown). Version 2
    /// snapshots (no vend fields) read as sales that are not vends. A snapshot is written as version 2 while no
    /// record holds a vend, so a terminal that never vends stays readable by the firmware before version 3.
    /// </summary>
    internal static class RecordCodec
    {
        public const byte Version = 3;

        /// <summary>The layout before vending (docs/vending.md section 3): still read, and written while no record vends.</summary>
        public const byte VersionWithoutVend = 2;

        /// <summary>The first layout, still readable.</summary>
        public const byte VersionWithoutExpiry = 1;

        private const int VendLength = 7;
        public const int HeaderLength = 10;
        private const int TextCount = 8;
        private const int FixedLength = 8 + 5 + (4 * 8);

        /// <summary>Largest encoded record.</summary>
        public static int MaxRecordLength
        {
            get { return FixedLength + 3 + 1 + ((TextCount - 1) * (TransactionRecord.IdCapacity + 1)) + 8 + VendLength; }
        }

        /// <summary>The version a snapshot of these records is written in: 3 only when one of them is a vend.</summary>
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

        public static int WriteHeader(byte[] buffer, int offset, byte version, long nextNumber, int count)
        {
            buffer[offset] = version;
            JournalStore.WriteInt64(buffer, offset + 1, nextNumber);
            buffer[offset + 9] = (byte)count;
            return offset + HeaderLength;
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
            p += 8;
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
            return version == Version || version == VersionWithoutVend || version == VersionWithoutExpiry;
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
            if (version == VersionWithoutVend)
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
