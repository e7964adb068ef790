using Terminal.Core.Ports;
using Terminal.Core.Text;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// The terminal's durable memory of transactions: every unfinished one, every paid vend not yet settled, the
    /// last N settled ones (for LAST, refunds and voids), the request-id counter and the accounting period's
    /// totals, all written as ONE snapshot per commit through
    /// <see cref="JournalStore"/> (sequence number + CRC-32, two slots). Because a snapshot is atomic, a commit can
    /// change several records and the counter together; compaction is simply not writing finished records beyond
    /// the newest N.
    /// </summary>
    /// <remarks>
    /// Memory: (N + 2) pooled records and one buffer sized for the worst case, allocated once. A commit writes
    /// into that buffer and allocates nothing. Not thread-safe: the payment engine's worker thread owns it.
    /// </remarks>
    public sealed class TransactionJournal
    {
        /// <summary>Unfinished transactions the pool keeps room for beside the finished ones.</summary>
        private const int ActiveSlots = 2;

        private readonly JournalStore _store;
        private readonly ILog _log;
        private readonly int _keepFinal;
        private readonly TransactionRecord[] _records;
        private readonly byte[] _buffer;
        private readonly TransactionRecord _scratch = new TransactionRecord();
        private readonly DayTotals _totals = new DayTotals();
        private readonly DayTotals _closedTotals = new DayTotals();
        private int _count;
        private long _nextNumber;

        /// <param name="keepFinal">How many finished transactions to keep (at least 1).</param>
        public TransactionJournal(IDurableStorage storage, ILog log, int keepFinal)
        {
            if (keepFinal < 1 || keepFinal > 200)
            {
                throw new System.ArgumentOutOfRangeException("keepFinal", "must be 1..200");
            }

            _store = new JournalStore(storage);
            _log = log;
            _keepFinal = keepFinal;
            _records = new TransactionRecord[keepFinal + ActiveSlots];
            for (int i = 0; i < _records.Length; i++)
            {
                _records[i] = new TransactionRecord();
            }

            _buffer = new byte[JournalStore.Overhead + RecordCodec.HeaderLength + (_records.Length * RecordCodec.MaxRecordLength)];
            _totals.Open(1, 0);
        }

        /// <summary>Number of transactions held (oldest first).</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>The counter value the next transaction will get.</summary>
        public long NextNumber
        {
            get { return _nextNumber; }
        }

        /// <summary>
        /// The open accounting period's counters (since the last end of day); written with every commit, so the
        /// engine changes them in the same commit as the final state they count.
        /// </summary>
        public DayTotals Totals
        {
            get { return _totals; }
        }

        /// <summary>The counters of the period the last end of day closed (Period 0: none closed yet).</summary>
        public DayTotals ClosedTotals
        {
            get { return _closedTotals; }
        }

        /// <summary>Sequence number of the last durable snapshot.</summary>
        public long Sequence
        {
            get { return _store.Sequence; }
        }

        /// <summary>Transaction <paramref name="index"/>, 0 = oldest.</summary>
        public TransactionRecord Get(int index)
        {
            if (index < 0 || index >= _count)
            {
                throw new System.ArgumentOutOfRangeException("index");
            }

            return _records[index];
        }

        /// <summary>
        /// Replaces the in-memory state with the newest valid snapshot in storage (empty when there is none).
        /// A snapshot written with a larger <c>keepTransactions</c> is read too, keeping every unfinished
        /// transaction and the newest finished ones that fit. Returns false when a valid snapshot cannot be
        /// decoded (written by an incompatible firmware): the caller must then not write, or it would overwrite it.
        /// </summary>
        public bool Load()
        {
            _count = 0;
            _nextNumber = 1;
            _totals.Open(1, 0);
            _closedTotals.Open(0, 0);
            int stored = _store.StoredLength();
            byte[] buffer = stored > _buffer.Length ? new byte[stored] : _buffer;
            int length = _store.Load(buffer);
            if (length < 0)
            {
                return true;
            }

            int start = JournalStore.PayloadOffset;
            int end = start + length;
            if (length < RecordCodec.CommonHeaderLength || !RecordCodec.IsReadable(buffer[start]))
            {
                Log(LogLevel.Error, "journal: unknown snapshot version");
                return false;
            }

            byte version = buffer[start];
            long nextNumber = JournalStore.ReadInt64(buffer, start + 1);
            int count = buffer[start + 9];
            int first = RecordCodec.ReadTotals(buffer, start, end, version, _totals, _closedTotals);
            if (first < 0)
            {
                Log(LogLevel.Error, "journal: undecodable totals");
                return false;
            }

            // Pass 1: how many are settled, so that the oldest settled ones can be left out if needed.
            int finished = 0;
            int p = first;
            for (int i = 0; i < count; i++)
            {
                p = RecordCodec.Read(_scratch, buffer, p, end, version);
                if (p < 0)
                {
                    Log(LogLevel.Error, "journal: undecodable record");
                    return false;
                }

                if (_scratch.IsSettled)
                {
                    finished++;
                }
            }

            int skip = count - _records.Length;
            if (skip > finished)
            {
                Log(LogLevel.Error, "journal: more unfinished transactions than the journal can hold");
                return false;
            }

            // Pass 2: keep every unsettled transaction and all but the oldest `skip` settled ones.
            p = first;
            int kept = 0;
            for (int i = 0; i < count; i++)
            {
                p = RecordCodec.Read(_scratch, buffer, p, end, version);
                if (_scratch.IsSettled && skip > 0)
                {
                    skip--;
                    continue;
                }

                _records[kept++].CopyFrom(_scratch);
            }

            _count = kept;
            _nextNumber = nextNumber;
            return true;
        }

        /// <summary>
        /// Takes a fresh record for a new transaction, gives it the next counter value and appends it (newest).
        /// Makes room by dropping the oldest finished transactions beyond N. Nothing is durable until
        /// <see cref="Commit"/>; a caller that cannot commit calls <see cref="Load"/> to drop it again.
        /// <paramref name="keep"/> (the sale a refund or void acts on, may be null) is never dropped.
        /// </summary>
        public TransactionRecord Begin(TransactionKind kind, TransactionRecord keep)
        {
            while (_count == _records.Length || CountFinal() > _keepFinal)
            {
                if (!DropOldestFinal(keep))
                {
                    throw new System.InvalidOperationException("journal: no room, every transaction is unfinished or owes a vend");
                }
            }

            TransactionRecord r = _records[_count];
            r.Clear();
            r.Kind = kind;
            r.Number = _nextNumber;
            _nextNumber++;
            _count++;
            return r;
        }

        /// <summary>
        /// Writes the whole state as the next snapshot, first dropping the oldest finished transactions beyond N
        /// (references to dropped records must not be used afterwards). Returns false when storage failed (logged); the durable
        /// state is then the previous snapshot, so the caller must not perform the action it journaled.
        /// </summary>
        public bool Commit()
        {
            while (CountFinal() > _keepFinal && DropOldestFinal(null))
            {
            }

            byte version = RecordCodec.VersionFor(_records, _count);
            int p = RecordCodec.WriteHeader(_buffer, JournalStore.PayloadOffset, version, _nextNumber, _count, _totals, _closedTotals);
            for (int i = 0; i < _count; i++)
            {
                p = RecordCodec.Write(_records[i], _buffer, p, version);
            }

            try
            {
                _store.Commit(_buffer, p - JournalStore.PayloadOffset);
                return true;
            }
            catch (System.Exception e)
            {
                CommitFailures++;
                Log(LogLevel.Error, "journal: commit failed: " + e.Message);
                return false;
            }
        }

        /// <summary>Commits that failed since start (storage errors; the heartbeat reports the storage as failing).</summary>
        public int CommitFailures { get; private set; }

        /// <summary>Newest transaction that is not final, or null.</summary>
        public TransactionRecord FindUnfinished()
        {
            for (int i = 0; i < _count; i++)
            {
                if (!_records[i].IsFinal)
                {
                    return _records[i];
                }
            }

            return null;
        }

        /// <summary>Oldest sale whose vend is paid but not settled (credit or goods owed, or its refund running), or null.</summary>
        public TransactionRecord FindOpenVend()
        {
            for (int i = 0; i < _count; i++)
            {
                if (_records[i].HoldsOpenVend)
                {
                    return _records[i];
                }
            }

            return null;
        }

        /// <summary>Newest transaction of a kind (any kind for None), or null.</summary>
        public TransactionRecord Last(TransactionKind kind)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                TransactionKind k = _records[i].Kind;
                if (kind == TransactionKind.None || k == kind)
                {
                    return _records[i];
                }
            }

            return null;
        }

        /// <summary>Newest sale whose register reference equals <paramref name="reference"/>, or null.</summary>
        public TransactionRecord FindSaleByReference(TextField reference)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                TransactionRecord r = _records[i];
                if (r.IsSale && r.Reference.Equals(reference))
                {
                    return r;
                }
            }

            return null;
        }

        /// <summary>Sale with this paymentRequestId, or null.</summary>
        public TransactionRecord FindSaleByRequestId(TextField requestId)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                TransactionRecord r = _records[i];
                if (r.IsSale && r.RequestId.Equals(requestId))
                {
                    return r;
                }
            }

            return null;
        }

        private int CountFinal()
        {
            int n = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_records[i].IsSettled)
                {
                    n++;
                }
            }

            return n;
        }

        private bool DropOldestFinal(TransactionRecord keep)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_records[i].IsSettled && _records[i] != keep)
                {
                    TransactionRecord freed = _records[i];
                    for (int j = i; j < _count - 1; j++)
                    {
                        _records[j] = _records[j + 1];
                    }

                    _count--;
                    _records[_count] = freed;
                    return true;
                }
            }

            return false;
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
