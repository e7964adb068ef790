using Terminal.Core.Text;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Binary layout of the journal payload (little-endian):
    /// <code>
    /// payload  = version:u8(=2) nextNumber:i64 count:u8 record*count
    /// record   = number:i64 kind:u8 state:u8 status:u8 cancelReason:u8 flags:u8
    ///            amount:i64 refunded:i64 created:i64 finished:i64
    ///            text*8   (currency, requestId, paymentId, reference, paymentCode, resultCode,
    ///                      targetRequestId, externalId)
    ///            orderExpires:i64   (version 2 only)
    /// text     = length:u8 bytes
    /// </code>
    /// Version 1 snapshots (no orderExpires) are still read; orderExpires is then 0 (unknown).
    /// </summary>
    internal static class RecordCodec
    {
        public const byte Version = 2;

        /// <summary>The previous layout, still readable.</summary>
        public const byte VersionWithoutExpiry = 1;
        public const int HeaderLength = 10;
        private const int TextCount = 8;
        private const int FixedLength = 8 + 5 + (4 * 8);

        /// <summary>Largest encoded record.</summary>
        public static int MaxRecordLength
        {
            get { return FixedLength + 3 + 1 + ((TextCount - 1) * (TransactionRecord.IdCapacity + 1)) + 8; }
        }

        public static int WriteHeader(byte[] buffer, int offset, long nextNumber, int count)
        {
            buffer[offset] = Version;
            JournalStore.WriteInt64(buffer, offset + 1, nextNumber);
            buffer[offset + 9] = (byte)count;
            return offset + HeaderLength;
        }

        public static int Write(TransactionRecord r, byte[] buffer, int offset)
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
            return p + 8;
        }

        /// <summary>True for a payload version <see cref="Read"/> can decode.</summary>
        public static bool IsReadable(byte version)
        {
            return version == Version || version == VersionWithoutExpiry;
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
            return p + 8;
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
