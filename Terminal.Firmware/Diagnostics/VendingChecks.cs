using Terminal.Drivers.MdbBridge;
using Terminal.Drivers.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Payments.Journal;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known answers for vending (docs/vending.md): the MDB bridge's lines as the terminal reads and writes them,
    /// the pulse train's timing and its write-ahead stop, and the journal's version 4 vend fields beside the day totals and wallet names.
    /// </summary>
    public static class VendingChecks
    {
        public static void Run(SelfTestReport report)
        {
            report.Run("vending bridge vend request line", VendRequestParses);
            report.Run("vending bridge amounts", AmountsRoundTrip);
            report.Run("vending bridge set-up and approval lines", BridgeWritesItsLines);
            report.Run("vending pulse train timing", PulseTrainKeepsItsTiming);
            report.Run("vending pulse journaled before it is sent", PulseStopsWhenJournalRefuses);
            report.Run("vending journal v4 vend fields", JournalKeepsTheVend);
        }

        private static bool VendRequestParses()
        {
            long amount;
            int item;
            byte[] line = AsciiText.Bytes("c,STATUS,VEND,1.50,12");
            byte[] failure = AsciiText.Bytes("c,ERR,VEND 3");
            byte[] bad = AsciiText.Bytes("c,STATUS,VEND,1.505,12");
            return BridgeLineParser.Parse(line, line.Length, 2, out amount, out item) == BridgeEvent.VendRequest && amount == 150 && item == 12
                && BridgeLineParser.Parse(failure, failure.Length, 2, out amount, out item) == BridgeEvent.VendFailure
                && BridgeLineParser.Parse(bad, bad.Length, 2, out amount, out item) == BridgeEvent.Error;
        }

        private static bool AmountsRoundTrip()
        {
            byte[] text = new byte[16];
            int n = BridgeLineParser.WriteAmount(250, 2, text, 0);
            long parsed;
            byte[] half = AsciiText.Bytes("2.5");
            return AsciiText.Matches(text, n, "2.50") && BridgeLineParser.WriteAmount(5, 0, text, 0) == 1 && text[0] == (byte)'5'
                && BridgeLineParser.ParseAmount(half, 0, half.Length, 2, out parsed) && parsed == 250
                && !BridgeLineParser.ParseAmount(half, 0, half.Length, 0, out parsed);
        }

        private static bool BridgeWritesItsLines()
        {
            RecordingPort port = new RecordingPort();
            MdbBridge bridge = new MdbBridge(port, 2);
            bridge.Start(0x10, 840, 1, false, 90);
            bridge.Approve(150);
            bridge.Deny();
            return AsciiText.Matches(port.Bytes, port.Count,
                "C,0\nC,SETCONF,mdb-address=0x10\nC,SETCONF,mdb-currency-code=0x1840\nC,SETCONF,mdb-scale-factor=1\n"
                + "C,SETCONF,mdb-decimal-places=2\nC,SETCONF,mdb-always-idle=0\nC,SETCONF,mdb-timeout=90\nC,1\nC,VEND,1.50\nC,STOP\n")
                && bridge.BytesSent == port.Count;
        }

        private static bool PulseTrainKeepsItsTiming()
        {
            ManualTimer timer = new ManualTimer();
            RecordingLine line = new RecordingLine(timer);
            PulseOutput output = new PulseOutput(line, timer, true, 50, 100);
            int sent = output.Send(1, 3, null);

            // High at 0, 150, 300 for 50 ms each; the last gap is waited out too.
            long[] expected = { 0, 1, 50, 0, 150, 1, 200, 0, 300, 1, 350, 0 };
            bool ok = sent == 3 && line.Count == 6 && timer.Now == 450;
            for (int i = 0; ok && i < 6; i++)
            {
                ok = line.Times[i] == expected[2 * i] && (line.Levels[i] ? 1 : 0) == expected[(2 * i) + 1];
            }

            return ok;
        }

        private static bool PulseStopsWhenJournalRefuses()
        {
            ManualTimer timer = new ManualTimer();
            RecordingLine line = new RecordingLine(timer);
            PulseOutput output = new PulseOutput(line, timer, false, 30, 30);
            RefusingJournal journal = new RefusingJournal(3);
            int sent = output.Send(2, 5, journal);
            return sent == 2 && line.Count == 2 && !line.Levels[0] && line.Levels[1] && journal.Asked == 2;
        }

        private static bool JournalKeepsTheVend()
        {
            RamStorage storage = new RamStorage();
            TransactionJournal journal = new TransactionJournal(storage, null, 2);
            TransactionRecord plain = journal.Begin(TransactionKind.SaleOrderCode, null);
            plain.State = TransactionState.Final;
            plain.WalletName.SetAscii("GCASH");
            journal.Totals.SaleCount = 1;
            journal.Commit();
            byte[] raw = new byte[1024];
            bool v3 = storage.Read("journal.b", raw, 0, raw.Length) > 0 && raw[JournalStore.PayloadOffset] == 3;

            TransactionRecord vend = journal.Begin(TransactionKind.SalePaymentCode, null);
            vend.State = TransactionState.Final;
            vend.Status = FinalStatus.Success;
            vend.Vend = VendState.Delivering;
            vend.VendItem = 513;
            vend.CreditUnits = 7;
            vend.CreditDone = 3;
            journal.Commit();
            bool v4 = storage.Read("journal.a", raw, 0, raw.Length) > 0 && raw[JournalStore.PayloadOffset] == 4;

            TransactionJournal reloaded = new TransactionJournal(storage, null, 2);
            TransactionRecord back = reloaded.Load() ? reloaded.FindOpenVend() : null;
            return v3 && v4 && back != null && back.Vend == VendState.Delivering && back.VendItem == 513
                && back.CreditUnits == 7 && back.CreditDone == 3 && !back.IsSettled
                && reloaded.Totals.SaleCount == 1 && reloaded.Get(0).WalletName.Length == 5;
        }

        /// <summary>Keeps what the bridge driver writes; reads nothing.</summary>
        private sealed class RecordingPort : ISerialPort
        {
            public readonly byte[] Bytes = new byte[512];
            public int Count;

            public int Read(byte[] buffer, int offset, int count, int timeoutMs)
            {
                return 0;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                System.Array.Copy(buffer, offset, Bytes, Count, count);
                Count += count;
            }
        }

        /// <summary>Time that passes only when slept.</summary>
        private sealed class ManualTimer : IPulseTimer
        {
            public long Now;

            public long MonotonicMs()
            {
                return Now;
            }

            public void Sleep(int milliseconds)
            {
                Now += milliseconds;
            }
        }

        /// <summary>Every level written, with the time.</summary>
        private sealed class RecordingLine : IDigitalOutput
        {
            public readonly long[] Times = new long[16];
            public readonly bool[] Levels = new bool[16];
            public int Count;
            private readonly ManualTimer _timer;

            public RecordingLine(ManualTimer timer)
            {
                _timer = timer;
            }

            public void Write(bool high)
            {
                Times[Count] = _timer.Now;
                Levels[Count] = high;
                Count++;
            }
        }

        /// <summary>Refuses pulse <c>refuseAt</c> and every later one.</summary>
        private sealed class RefusingJournal : IPulseJournal
        {
            private readonly int _refuseAt;

            public RefusingJournal(int refuseAt)
            {
                _refuseAt = refuseAt;
            }

            public int Asked { get; private set; }

            public bool BeforePulse(int number)
            {
                Asked++;
                return number < _refuseAt;
            }
        }
    }
}
