using Terminal.Core.Ports;
using Terminal.Firmware.Config;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>A payment engine wired to fakes: fake clock and sleeper, memory storage, in-memory Antom.</summary>
internal sealed class EngineRig
{
    public const string DeviceId = "T0001";
    public const string ScannedCode = "281010897274821897274821";

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public EngineRig(Action<TerminalConfig>? configure = null, int seed = 1)
    {
        Config = new TerminalConfig
        {
            Device = { DeviceId = DeviceId, KeyVersion = 1, Key = Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", KeepTransactions = 4 },
        };
        configure?.Invoke(Config);
        Clock = new FakeClock();
        Sleeper = new FakeSleeper(Clock);
        Storage = new MemoryStorage();
        Server = new FakeAntom(Key, DeviceId, Clock);
        Random = new FakeRandom(seed);
        Engine = Boot();
    }

    public TerminalConfig Config { get; }
    public FakeClock Clock { get; }
    public FakeSleeper Sleeper { get; }
    public MemoryStorage Storage { get; }
    public FakeAntom Server { get; }
    public FakeRandom Random { get; }
    public ListLog Log { get; private set; } = new();
    public RecordingEvents Events { get; private set; } = new();
    public PaymentEngine Engine { get; private set; }

    /// <summary>A new engine instance over the same storage, server and clock (a reboot), journal loaded.</summary>
    public PaymentEngine Boot()
    {
        Log = new ListLog();
        Events = new RecordingEvents();
        Engine = new PaymentEngine(Config.Payments, Server, new PortableMac(Key), Storage, Clock, Sleeper, Random, Log, Events);
        Assert.True(Engine.Open());
        return Engine;
    }

    public PaymentResult Cpm(long amount, string? reference = null, string code = ScannedCode) =>
        Engine.RunSale(new SaleRequest { Mode = TransactionKind.SalePaymentCode, AmountMinor = amount, Reference = reference, PaymentCode = code });

    public PaymentResult Mpm(long amount, string? reference = null) =>
        Engine.RunSale(new SaleRequest { Mode = TransactionKind.SaleOrderCode, AmountMinor = amount, Reference = reference });

    /// <summary>An order-code sale the customer may pay with a payment code instead (<see cref="PaymentEngine.OfferPaymentCode"/>).</summary>
    public PaymentResult EitherWay(long amount, string reference) =>
        Engine.RunSale(new SaleRequest { Mode = TransactionKind.SaleOrderCode, AmountMinor = amount, Reference = reference, AcceptsPaymentCode = true });

    /// <summary>Every pay request of one paymentRequestId carried the same amount and code.</summary>
    public void AssertPaysConsistent()
    {
        foreach (IGrouping<string?, Call> group in Server.CallsTo("pay").GroupBy(c => c.PaymentRequestId))
        {
            Assert.Single(group.Select(c => (c.Amount, c.Code)).Distinct());
        }

        Assert.All(Server.Calls, c => Assert.True(c.SignatureValid, "request signature rejected by the server"));
    }
}
