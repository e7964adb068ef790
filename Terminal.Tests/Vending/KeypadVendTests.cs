using Terminal.Countertop;
using Terminal.Drivers.Ports;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Screens;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Pulse;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Terminal.Vending.Config;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// A coin-op machine with the countertop's keypad fitted (docs/vending.md section 1): the whole firmware, keys pressed
/// on the PCF8574 model, the machine's coin input on the pulse GPIO. A typed price is a vend through
/// <c>PulseVending.RequestVend</c> (paid, then credited in pulses), never an ordinary sale without pulses; a price the
/// machine cannot be credited is refused before anything is charged; a price being typed holds off the fixed
/// price's offer.
/// </summary>
public sealed class KeypadVendTests : IDisposable
{
    /// <summary>Long enough for the cashier's first keys to land within it on a loaded machine.</summary>
    private const int HoldMs = 4000;

    private readonly List<string> _misread = new();
    private AppRig _rig = null!;
    private CoinInputModel _machine = null!;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_price_typed_at_the_keypad_is_paid_and_credited_in_pulses()
    {
        Build(price: 0);
        _rig.Server.PollsUntilPaid = 2;
        _rig.Start();

        _rig.Type("300A");
        _rig.WaitUntil(() => _rig.Results.Count == 1 && !_rig.App.Desk.IsBusy, "the vend");

        Assert.True(_rig.Results.TryPeek(out PaymentResult? result));
        Assert.Equal((FinalStatus.Success, 300L, ""), (result!.Status, result.AmountMinor, result.Reference ?? ""));
        Assert.Equal(3, _machine.Pulses);
        Assert.Empty(_misread);
        _rig.App.Stop();
        TransactionRecord sale = Assert.Single(ReadSales());
        Assert.Equal((VendState.Vended, 3, 3), (sale.Vend, sale.CreditUnits, sale.CreditDone));
    }

    [Fact]
    public void A_typed_price_that_is_not_a_whole_number_of_pulses_is_refused_and_nothing_is_charged()
    {
        Build(price: 0);
        _rig.Server.PollsUntilPaid = 2;
        _rig.Start();

        _rig.Type("250A");
        _rig.WaitUntil(() => _rig.Log.Lines.Any(l => l.Contains("keypad: vend of 250 not started: the amount must be a multiple of the pulse value 100")), "the refusal");
        Assert.Equal(ScreenKind.AmountEntry, _rig.App.Screen);
        Assert.Equal(250, _rig.App.Countertop!.EnteredMinor);
        Thread.Sleep(200);
        Assert.Empty(_rig.Server.Calls);
        Assert.Equal(0, _machine.Pulses);

        // Negative control: the same keys with a whole number of pulses sell and credit.
        _rig.Type("C200A");
        _rig.WaitUntil(() => _machine.Pulses == 2 && !_rig.App.Desk.IsBusy, "the credit");
        Assert.Equal(200, _rig.Server.Payments.Values.Single().Amount);
        Assert.Empty(_misread);
    }

    [Fact]
    public void A_price_being_typed_holds_off_the_fixed_offer_which_returns_after_the_vend()
    {
        Build(price: 200);
        _rig.Server.PollsUntilPaid = -1;
        _rig.Start(waitForIdle: false);
        _rig.WaitUntil(() => _rig.Server.Payments.Count == 1 && _rig.App.Screen == ScreenKind.Qr, "the fixed price's offer");

        // C stops the offer, C again puts its result away; the cashier starts typing within the hold time.
        _rig.Type("C");
        _rig.WaitUntil(() => _rig.Results.Count == 1 && !_rig.App.Desk.IsBusy, "the offer stopped");
        long holdOver = _rig.Clock.MonotonicMs() + HoldMs;
        _rig.Type("C5");
        _rig.WaitUntil(() => _rig.Clock.MonotonicMs() > holdOver, "the hold time to pass");
        int reads = _rig.Keys!.Reads;
        _rig.WaitUntil(() => _rig.Keys.Reads >= reads + 2, "the main loop to run after the hold time");
        Assert.False(_rig.App.Desk.IsBusy);
        Assert.Single(_rig.Server.Payments);
        Assert.Equal(ScreenKind.AmountEntry, _rig.App.Screen);

        _rig.Server.PollsUntilPaid = 2;
        _rig.Type("00A");
        _rig.WaitUntil(() => _machine.Pulses == 5 && !_rig.App.Desk.IsBusy, "the typed price's credit");
        _rig.Server.PollsUntilPaid = -1;
        _rig.WaitUntil(() => _rig.Server.Payments.Count == 3, "the fixed price offered again");

        Assert.Equal([200L, 500L, 200L], _rig.Server.Payments.Values.Select(p => p.Amount).ToArray());
        Assert.Equal(5, _machine.Pulses);
        Assert.Empty(_misread);
    }

    private void Build(long price)
    {
        _rig = new AppRig(
            c =>
            {
                c.HostLink.Mode = HostLinkSection.Off;
                c.Vending.Mode = VendingSection.Pulse;
                c.Vending.PulsePin = 25;
                c.Vending.Price = price;
                c.Vending.MaxPrice = 500;
                c.Vending.PulseValue = 100;
                c.Vending.PulseWidthMs = 20;
                c.Vending.PulseGapMs = 20;
                c.Vending.HoldMs = HoldMs;
            },
            scanner: false,
            countertop: true,
            wire: p => p.PulseLine = new Line(this));
        _machine = new CoinInputModel(activeHigh: true, () => _rig.Clock.MonotonicMs())
        {
            MaxWidthMs = 10_000,
            ProtocolErrorSeen = problem =>
            {
                lock (_misread)
                {
                    _misread.Add(problem);
                }
            },
        };
    }

    private List<TransactionRecord> ReadSales()
    {
        var journal = new TransactionJournal(_rig.Storage, new ListLog(), 8);
        Assert.True(journal.Load());
        return Enumerable.Range(0, journal.Count).Select(journal.Get).Where(r => r.IsSale).OrderBy(r => r.Number).ToList();
    }

    /// <summary>The GPIO through the optocoupler into the machine's coin input (built before the machine model).</summary>
    private sealed class Line(KeypadVendTests test) : IDigitalOutput
    {
        public void Write(bool high) => test._machine?.Write(high);
    }
}
