using Terminal.Drivers.Ports;
using Terminal.Firmware.HostLink;
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
/// The whole firmware as a coin-op machine's payment device (docs/vending.md section 4): the real
/// <c>TerminalApp</c> offers the fixed price at idle (the order QR), and once it is paid credits the machine's coin
/// input in pulses, then offers again. Pulse timing is checked on a simulated clock in <see cref="PulseOutputTests"/>;
/// here the PC's scheduler may lengthen a pulse, so the model only holds the lower bounds strictly.
/// </summary>
public sealed class PulseVendingTests : IDisposable
{
    private readonly List<string> _misread = new();
    private AppRig _rig = null!;
    private CoinInputModel _machine = null!;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void The_fixed_price_is_offered_at_idle_credited_once_paid_and_offered_again()
    {
        Build(price: 300);
        _rig.Server.PollsUntilPaid = 2;
        _rig.Start(waitForIdle: false);

        _rig.WaitUntil(() => _rig.Results.Count == 1 && _rig.App.Phase == DeskPhase.Idle, "the first vend");
        _rig.Server.PollsUntilPaid = -1;
        _rig.WaitUntil(() => _rig.Server.Payments.Count == 2, "the next offer");

        Assert.Equal(FinalStatus.Success, _rig.Results.First().Status);
        Assert.Equal(3, _machine.Pulses);
        Assert.Equal(3, _rig.App.PulseVending.PulsesSent);
        Assert.Empty(_misread);
        _rig.App.Stop();
        TransactionRecord first = ReadSales().First();
        Assert.Equal((VendState.Vended, 3, 3), (first.Vend, first.CreditUnits, first.CreditDone));
    }

    [Fact]
    public void A_price_that_is_not_a_whole_number_of_pulses_is_refused_before_anything_is_charged()
    {
        Build(price: 0);
        _rig.Server.PollsUntilPaid = 1;
        _rig.Start();

        Assert.Equal(DeskAnswer.Refused, _rig.App.PulseVending.RequestVend(250, out string detail));
        Assert.Equal("the amount must be a multiple of the pulse value 100", detail);
        Assert.Equal(DeskAnswer.Refused, _rig.App.PulseVending.RequestVend(600, out detail));
        Assert.StartsWith("above the most one sale may credit", detail, StringComparison.Ordinal);
        Assert.Empty(_rig.Server.Calls);

        // Negative control: a price button's whole number of pulses is sold and credited.
        Assert.Equal(DeskAnswer.Accepted, _rig.App.PulseVending.RequestVend(200, out _));
        _rig.WaitUntil(() => _machine.Pulses == 2 && _rig.App.Phase == DeskPhase.Idle, "the credit");
        Assert.Single(_rig.Server.Payments);
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
                c.Vending.HoldMs = 1000;
            },
            scanner: false,
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
    private sealed class Line(PulseVendingTests test) : IDigitalOutput
    {
        public void Write(bool high) => test._machine?.Write(high);
    }
}
