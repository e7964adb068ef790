using Terminal.Core.Ports;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.Benchmarks.Engine;

/// <summary>
/// The engine's inquiry loop over an in-memory gateway: every inquiry is built, signed, "sent", verified and
/// parsed exactly as on the device; the gateway answers PROCESSING (a body shaped like Antom's inquiry_sp mock)
/// and SUCCESS on the last iteration. Sleeps advance a fake clock.
/// </summary>
public sealed class PollLoopRig
{
    public const string RequestId = "T000100000000000142ABCDEF";

    internal static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly PaymentEngine _engine;
    private readonly TransactionRecord _record;

    /// <param name="dotnetMac">true: the PC binding's HMAC (.NET HMACSHA256); false: the portable managed one.</param>
    public PollLoopRig(int iterations, bool dotnetMac = false)
    {
        Iterations = iterations;
        var config = new TerminalConfig { Device = { DeviceId = "T0001", KeyVersion = 1, Key = Key }, Network = { GatewayUrl = "https://gw" }, Engine = { Currency = "USD" } };
        Exchange = new CannedExchange(Key, "T0001");
        Exchange.Add(AntomPaths.InquiryPayment, Body("PROCESSING"), iterations - 1);
        Exchange.Add(AntomPaths.InquiryPayment, Body("SUCCESS"));
        var clock = new TickClock();
        IMac mac = dotnetMac ? new HmacSha256Mac(Key) : new PortableMac(Key);
        _engine = new PaymentEngine(config.Payments, Exchange, mac, new NoStorage(), clock, new TickSleeper(clock), new CryptoRandom(), null!, null!);
        _engine.Open();
        _record = _engine.Journal.Begin(TransactionKind.SalePaymentCode, null);
        _record.RequestId.SetAscii(RequestId);
        _record.Currency.SetAscii("USD");
        _record.AmountMinor = 1250;
    }

    public int Iterations { get; }

    public CannedExchange Exchange { get; }

    /// <summary>One whole poll loop (Iterations inquiries); returns 1 when it ended paid.</summary>
    public int Run()
    {
        Exchange.Rewind();
        return _engine.PollPayment(_record, long.MaxValue / 4, false, false, 0) == Verdict.Paid ? 1 : 0;
    }

    /// <summary>Bytes allocated on this thread by one poll loop, divided by its iterations (after a warm-up loop).</summary>
    public double AllocatedBytesPerIteration()
    {
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        long after = GC.GetAllocatedBytesForCurrentThread();
        return (after - before) / (double)Iterations;
    }

    public static string Body(string status) =>
        "{\"actualPaymentAmount\":{\"currency\":\"CNY\",\"value\":\"88\"},\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},"
        + "\"paymentId\":\"202604061940108001001888H0204595319\",\"paymentQuote\":{\"guaranteed\":false,\"quoteCurrencyPair\":\"840/156\",\"quotePrice\":7.05980252},"
        + "\"paymentRequestId\":\"" + RequestId + "\",\"paymentResultCode\":\"UNKNOWN_EXCEPTION\",\"paymentResultMessage\":\"unknown exception\","
        + "\"paymentStatus\":\"" + status + "\",\"pspCustomerInfo\":{\"displayCustomerId\":\"buy*@alitest.com\",\"pspCustomerId\":\"20885028637652A1\",\"pspName\":\"ALIPAYCN\"},"
        + "\"result\":{\"resultCode\":\"SUCCESS\",\"resultMessage\":\"success.\",\"resultStatus\":\"S\"}}";

    private sealed class TickClock : IClock
    {
        public long Now { get; set; } = 1_700_000_000_000;

        public long UtcNowMs() => Now;

        public long MonotonicMs() => Now;
    }

    private sealed class TickSleeper : ISleeper
    {
        private readonly TickClock _clock;

        public TickSleeper(TickClock clock) => _clock = clock;

        public bool Sleep(int milliseconds)
        {
            _clock.Now += milliseconds;
            return true;
        }

        public void Wake()
        {
        }
    }

    private sealed class NoStorage : IDurableStorage
    {
        public int Read(string name, byte[] buffer, int offset, int count) => -1;

        public void Write(string name, byte[] buffer, int offset, int count)
        {
        }

        public void Delete(string name)
        {
        }
    }
}
