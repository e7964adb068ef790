using Terminal.Countertop;
using Terminal.Countertop.View;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>
/// The countertop front end on a vending machine, alone (docs/vending.md section 1): keys go in through
/// <see cref="CountertopFrontEnd.Press"/> on a manual clock, the amount sale is a recording stand-in for the vending
/// front end's RequestVend, and the test is the desk's main loop but releases no job after boot, so any ordinary sale
/// the keys started would show as a busy desk.
/// </summary>
public sealed class VendKeysTests : IDisposable
{
    private readonly ThreadSleeper _sleeper = new();
    private readonly TransactionDesk _desk;
    private readonly View _view = new();
    private readonly CountertopFrontEnd _front;
    private readonly List<long> _asked = new();
    private DeskAnswer _answer = DeskAnswer.Accepted;

    public VendKeysTests()
    {
        var config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD" },
        };
        var clock = new SystemClock();
        _desk = new TransactionDesk(config.Payments, new FakeAntom(EngineRig.Key, EngineRig.DeviceId, clock), new PortableMac(EngineRig.Key), new MemoryStorage(), clock,
            _sleeper, new FakeRandom(), new ListLog(), null, new DeskTimings());
        _desk.Open();
        _desk.Start();
        long deadline = Environment.TickCount64 + AppRig.WaitMs;
        while (_desk.IsBusy && Environment.TickCount64 < deadline)
        {
            _desk.ReleaseQueuedJob();
            Thread.Sleep(2);
        }

        Assert.False(_desk.IsBusy, "boot recovery did not end");
        _front = new CountertopFrontEnd(_desk, null, _view, null, null, null, "USD", 1_000_000, new ListLog());
    }

    public void Dispose()
    {
        _desk.Stop(AppRig.WaitMs);
        _sleeper.Dispose();
    }

    [Fact]
    public void Ok_hands_the_typed_amount_to_the_vend_sale_and_never_to_the_desk()
    {
        _front.SellAsVends(Sale);
        Keys("300A", 0);

        Assert.Equal([300L], _asked);
        Assert.False(_desk.IsBusy);
        Assert.Equal((0L, false, 0), (_front.EnteredMinor, _front.HoldsScreen, _front.RefusedKeys));
    }

    [Fact]
    public void A_refused_amount_stays_on_the_screen_under_the_refusal_and_can_be_corrected()
    {
        _front.SellAsVends(Sale);
        _answer = DeskAnswer.Refused;
        Keys("250A", 0);

        Assert.Equal([250L], _asked);
        Assert.Equal((CountertopFrontEnd.RefusedTitle, "2.50"), _view.Last);
        Assert.Equal((250L, true, 1), (_front.EnteredMinor, _front.HoldsScreen, _front.RefusedKeys));

        _answer = DeskAnswer.Accepted;
        Keys("BB00A", 10);
        Assert.Equal([250L, 200L], _asked);
        Assert.False(_front.HoldsScreen);
    }

    [Fact]
    public void An_amount_left_alone_on_a_vending_machine_is_dropped_after_a_minute()
    {
        _front.SellAsVends(Sale);
        Keys("5", 1000);
        _front.Poll(1000 + CountertopFrontEnd.VendEntryIdleMs);
        Assert.True(_front.HoldsScreen);
        _front.Poll(1001 + CountertopFrontEnd.VendEntryIdleMs);
        Assert.Equal((false, 0L), (_front.HoldsScreen, _front.EnteredMinor));
    }

    [Fact]
    public void Without_vending_the_typed_amount_goes_to_the_desk_and_stays_while_typed()
    {
        // Negative control of the tests above: the same keys start the countertop's own sale on the desk.
        Keys("5", 1000);
        _front.Poll(1001 + CountertopFrontEnd.VendEntryIdleMs);
        Assert.Equal((true, 5L), (_front.HoldsScreen, _front.EnteredMinor));

        Keys("00A", 70_000);
        Assert.Empty(_asked);
        Assert.True(_desk.IsBusy);
    }

    private DeskAnswer Sale(long amountMinor, out string detail)
    {
        _asked.Add(amountMinor);
        detail = _answer == DeskAnswer.Accepted ? null! : "the amount must be a multiple of the pulse value 100";
        return _answer;
    }

    private void Keys(string keys, long nowMs)
    {
        foreach (char key in keys)
        {
            _front.Press(key, nowMs);
        }
    }

    private sealed class View : ICountertopView
    {
        public (string Title, string Amount) Last { get; private set; }

        public bool ResultShown => false;

        public void ShowAmount(string title, string amountText, string currency) => Last = (title, amountText);

        public void ShowLines(string title, string[] lines)
        {
        }

        public void NextPage()
        {
        }

        public void ShowResult(DeskResult result)
        {
        }

        public void Acknowledge(bool scanning)
        {
        }
    }
}
