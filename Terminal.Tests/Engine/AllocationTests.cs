using Terminal.Core.Ports;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>docs/architecture.md section 5: the polling loop allocates nothing per iteration (all buffers preallocated).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void The_poll_loop_allocates_nothing_per_inquiry()
    {
        const string id = "T000100000000000142ABCDEF";
        string processing = "{\"paymentRequestId\":\"" + id + "\",\"paymentStatus\":\"PROCESSING\",\"paymentQuote\":{\"quotePrice\":1.05},"
            + "\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"s\\u0075ccess\"}}";
        var exchange = new CannedExchange(EngineRig.Key, "T0001");
        exchange.Add(AntomPaths.InquiryPayment, processing, 499);
        exchange.Add(AntomPaths.InquiryPayment, processing.Replace("PROCESSING", "SUCCESS", StringComparison.Ordinal));
        var clock = new FakeClock();
        var config = new TerminalConfig { Device = { DeviceId = "T0001", KeyVersion = 1, Key = EngineRig.Key }, Network = { GatewayUrl = "https://gw" }, Engine = { Currency = "USD" } };
        var sleeper = new FakeSleeper(clock) { Record = false };
        var engine = new PaymentEngine(config.Payments, exchange, new PortableMac(EngineRig.Key), new MemoryStorage(), clock, sleeper, new FakeRandom(), null!, null!);
        engine.Open();
        TransactionRecord rec = engine.Journal.Begin(TransactionKind.SalePaymentCode, null);
        rec.RequestId.SetAscii(id);
        rec.Currency.SetAscii("USD");
        rec.AmountMinor = 1250;

        Assert.True(engine.PollPayment(rec, long.MaxValue / 4, false, false, 0) == Verdict.Paid);
        exchange.Rewind();
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool paid = engine.PollPayment(rec, long.MaxValue / 4, false, false, 0) == Verdict.Paid;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(paid);
        Assert.Equal(500, exchange.Calls);
        Assert.Equal(0, allocated);
    }
}
