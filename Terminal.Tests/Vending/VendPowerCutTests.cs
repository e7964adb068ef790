using Terminal.Drivers.MdbBridge;
using Terminal.Drivers.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Pulse;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Terminal.Vending.Config;
using Terminal.Vending.Mdb;
using Terminal.Vending.Pulse;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// Exactly-once credit across power cuts (docs/vending.md section 3): a paid vend is cut at every byte of every
/// journal write (torn as truncated or as new bytes over old ones) and at every edge of every pulse, the device
/// reboots, recovers and settles, and then the machine's count of coins and the provider's records must agree with
/// the journal: never more pulses than paid for, at most the one pulse in flight lost (and then the sale is marked
/// resumed, or flagged for review under "review"), nothing credited without a payment; an automatic refund of a
/// failed MDB vend goes out under exactly one refund request id.
/// </summary>
public sealed class VendPowerCutTests
{
    private const int Pulses = 4;
    private const long Price = 400;

    public static TheoryData<string, TearMode> PulseCases() => new()
    {
        { VendingSection.Resume, TearMode.Truncate },
        { VendingSection.Resume, TearMode.Overwrite },
        { VendingSection.Review, TearMode.Truncate },
    };

    [Theory]
    [MemberData(nameof(PulseCases))]
    internal void Every_cut_of_a_pulse_credit_leaves_it_credited_once(string afterPowerCut, TearMode tear)
    {
        var dry = new PulseWorld(afterPowerCut);
        int before = dry.Rig.Storage.WriteSizes.Count;
        dry.RunVend();
        Assert.Equal(Pulses, dry.Machine.Pulses);
        int[] sizes = dry.Rig.Storage.WriteSizes.Skip(before).ToArray();
        Assert.True(sizes.Length >= Pulses + 2, "a journal write per pulse, plus the sale's");

        int runs = 0;
        long offset = 0;
        foreach (int size in sizes)
        {
            for (int k = offset == 0 ? 0 : 1; k <= size; k++)
            {
                var world = new PulseWorld(afterPowerCut);
                world.Rig.Storage.Tear = tear;
                world.Rig.Storage.CutAfterBytes = offset + k;
                world.CutAndRecover($"cut after {offset + k} journal bytes ({tear})");
                runs++;
            }

            offset += size;
        }

        for (int edge = 1; edge <= 2 * Pulses; edge++)
        {
            var world = new PulseWorld(afterPowerCut) { CutAtEdge = edge };
            world.CutAndRecover($"cut at pulse edge {edge}");
            runs++;
        }

        Assert.True(runs > sizes.Sum());
    }

    [Fact]
    internal void Resumed_credit_after_a_cut_on_a_pulse_edge_loses_at_most_that_pulse_and_says_so()
    {
        // Cut while pulse 2 is high: it is journaled, so it counts as sent; the machine saw too short a pulse.
        var world = new PulseWorld(VendingSection.Resume) { CutAtEdge = 3 };
        world.CutAndRecover("cut as pulse 2 rose");
        Assert.Equal(Pulses - 1, world.Machine.Pulses);
        Assert.Equal(1, world.Machine.Truncated);
        TransactionRecord sale = world.Sale();
        Assert.Equal(VendState.Vended, sale.Vend);
        Assert.True(sale.HasFlag(TransactionRecord.FlagCreditResumed));

        // Negative control: a cut after pulse 2 fell loses nothing.
        var clean = new PulseWorld(VendingSection.Resume) { CutAtEdge = 4 };
        clean.CutAndRecover("cut as pulse 2 fell");
        Assert.Equal(Pulses, clean.Machine.Pulses);
    }

    [Fact]
    internal void Review_policy_sends_nothing_after_a_cut_mid_credit_and_flags_the_sale()
    {
        var world = new PulseWorld(VendingSection.Review) { CutAtEdge = 4 };
        world.CutAndRecover("cut as pulse 2 fell");
        Assert.Equal(2, world.Machine.Pulses);
        Assert.Equal(VendState.Review, world.Sale().Vend);
    }

    public static TheoryData<TearMode> Tears() => new() { TearMode.Truncate, TearMode.Overwrite };

    [Theory]
    [MemberData(nameof(Tears))]
    internal void Every_cut_of_a_failed_mdb_vend_refunds_it_exactly_once(TearMode tear)
    {
        var dry = new MdbWorld();
        int before = dry.Rig.Storage.WriteSizes.Count;
        dry.RunFailedVend();
        Assert.Single(dry.Rig.Server.Refunds);
        int[] sizes = dry.Rig.Storage.WriteSizes.Skip(before).ToArray();

        long offset = 0;
        foreach (int size in sizes)
        {
            for (int k = offset == 0 ? 0 : 1; k <= size; k++)
            {
                var world = new MdbWorld();
                world.Rig.Storage.Tear = tear;
                world.Rig.Storage.CutAfterBytes = offset + k;
                world.CutAndRecover($"cut after {offset + k} journal bytes ({tear})");
            }

            offset += size;
        }
    }

    /// <summary>A pulse vend on the engine with the real pulse credit and a model of the machine's coin input.</summary>
    private sealed class PulseWorld
    {
        private int _edges;

        public PulseWorld(string afterPowerCut)
        {
            Rig = new EngineRig(c =>
            {
                c.Engine.KeepTransactions = 2;
                c.Vending.Mode = VendingSection.Pulse;
                c.Vending.PulsePin = 25;
                c.Vending.PulseValue = 100;
                c.Vending.PulseWidthMs = 50;
                c.Vending.PulseGapMs = 50;
                c.Vending.AfterPowerCut = afterPowerCut;
            });
            Machine = new CoinInputModel(activeHigh: true, () => Rig.Clock.Mono);
            Machine.ProtocolErrorSeen = problem => Assert.Fail("the machine misread a pulse: " + problem);
            Rig.Storage.OnPowerCut = () => Rig.Server.Powered = false;
            Rig.Sleeper.IsDead = () => Rig.Storage.Dead;
        }

        public EngineRig Rig { get; }

        public CoinInputModel Machine { get; }

        /// <summary>The power fails as the line makes this edge (1 = first rise).</summary>
        public int CutAtEdge { get; init; }

        public void RunVend()
        {
            PaymentResult r = Rig.Engine.RunSale(new SaleRequest
            {
                Mode = TransactionKind.SalePaymentCode, AmountMinor = Price, PaymentCode = EngineRig.ScannedCode, Vend = true, CreditUnits = Pulses,
            });
            ThrowIfCut();
            Assert.True(r.Status == FinalStatus.Success, r.ResultCode + " " + r.Reason);
            Settle(afterRestart: false);
            ThrowIfCut();
        }

        /// <summary>The engine reports a cut as a failed step; the device would be dead there, so the run ends.</summary>
        private void ThrowIfCut()
        {
            if (Rig.Storage.Dead)
            {
                throw new PowerCutException();
            }
        }

        public void CutAndRecover(string at)
        {
            try
            {
                RunVend();
            }
            catch (PowerCutException)
            {
            }

            Assert.True(Rig.Storage.Dead, "no cut happened: " + at);
            Machine.PowerCut();
            Rig.Clock.Advance(5_000);
            Rig.Storage.Reboot();
            Rig.Server.Powered = true;
            Rig.Sleeper.IsDead = null;
            Rig.Boot();
            Rig.Engine.RecoverAll();
            Settle(afterRestart: true);
            Check(at);

            // Settled: a second boot finds nothing to recover or credit.
            Rig.Boot();
            Assert.Equal(0, Rig.Engine.RecoverAll());
            Assert.False(Rig.Engine.Vends.Next(), "a vend still open after recovery: " + at);
        }

        public TransactionRecord Sale()
        {
            TransactionJournal j = Rig.Engine.Journal;
            return Enumerable.Range(0, j.Count).Select(j.Get).Single(r => r.IsSale);
        }

        private void Settle(bool afterRestart)
        {
            var output = new PulseOutput(new Line(this), new PortTimer(Rig.Clock, Rig.Sleeper), activeHigh: true, Rig.Config.Vending.PulseWidthMs, Rig.Config.Vending.PulseGapMs);
            var credit = new PulseCredit(Rig.Config.Vending, output, Rig.Log);
            VendLedger ledger = Rig.Engine.Vends;
            for (int round = 0; round < 3 && ledger.Next(); round++)
            {
                credit.Settle(ledger, afterRestart);
            }
        }

        private void Check(string at)
        {
            Assert.True(Machine.Pulses <= Pulses, $"{Machine.Pulses} pulses for {Pulses} paid: {at}");
            TransactionJournal j = Rig.Engine.Journal;
            List<TransactionRecord> sales = Enumerable.Range(0, j.Count).Select(j.Get).Where(r => r.IsSale).ToList();
            bool paid = Rig.Server.Payments.Values.Any(p => p.Status == "SUCCESS");
            Assert.True(Rig.Server.Payments.Count <= 1, "two payments: " + at);
            if (!paid)
            {
                Assert.Equal(0, Machine.Pulses);
                Assert.All(sales, s => Assert.NotEqual(FinalStatus.Success, s.Status));
                return;
            }

            TransactionRecord sale = Assert.Single(sales);
            Assert.Equal(FinalStatus.Success, sale.Status);
            if (sale.Vend == VendState.Review)
            {
                Assert.Equal(VendingSection.Review, Rig.Config.Vending.AfterPowerCut);
                return;
            }

            Assert.True(sale.Vend == VendState.Vended, $"vend {sale.Vend}: {at}");
            int lost = Pulses - Machine.Pulses;
            Assert.True(lost <= 1, $"{lost} pulses lost: {at}");
            Assert.True(lost == 0 || sale.HasFlag(TransactionRecord.FlagCreditResumed), "a lost pulse without the resumed mark: " + at);
        }

        /// <summary>The GPIO into the machine's coin input; the power can fail at one of its edges.</summary>
        private sealed class Line(PulseWorld world) : IDigitalOutput
        {
            public void Write(bool high)
            {
                if (world.Rig.Storage.Dead)
                {
                    throw new PowerCutException();
                }

                world.Machine.Write(high);
                if (high || world._edges > 0)
                {
                    world._edges++;
                }

                if (world._edges == world.CutAtEdge && world.CutAtEdge > 0)
                {
                    world.Rig.Storage.CutNow();
                    throw new PowerCutException();
                }
            }
        }
    }

    /// <summary>A paid MDB vend the machine reports failed: the engine refunds it; after a restart, the MDB channel's own rules.</summary>
    private sealed class MdbWorld
    {
        public MdbWorld()
        {
            Rig = new EngineRig(c =>
            {
                c.Engine.KeepTransactions = 2;
                c.Vending.Mode = VendingSection.Mdb;
            });
            Rig.Storage.OnPowerCut = () => Rig.Server.Powered = false;
            Rig.Sleeper.IsDead = () => Rig.Storage.Dead;
        }

        public EngineRig Rig { get; }

        public void RunFailedVend()
        {
            PaymentResult r = Rig.Engine.RunSale(new SaleRequest
            {
                Mode = TransactionKind.SalePaymentCode, AmountMinor = 150, PaymentCode = EngineRig.ScannedCode, Vend = true, VendItem = 12,
            });
            ThrowIfCut();
            Assert.True(r.Status == FinalStatus.Success, r.ResultCode + " " + r.Reason);
            VendLedger ledger = Rig.Engine.Vends;
            Assert.True(ledger.Next());
            bool approved = ledger.Approve();
            ThrowIfCut();
            Assert.True(approved);

            // The machine reports VEND FAILURE.
            PaymentResult refund = ledger.Refund();
            ThrowIfCut();
            Assert.Equal(FinalStatus.Success, refund.Status);
        }

        private void ThrowIfCut()
        {
            if (Rig.Storage.Dead)
            {
                throw new PowerCutException();
            }
        }

        public void CutAndRecover(string at)
        {
            try
            {
                RunFailedVend();
            }
            catch (PowerCutException)
            {
            }

            Assert.True(Rig.Storage.Dead, "no cut happened: " + at);
            Rig.Storage.Reboot();
            Rig.Server.Powered = true;
            Rig.Sleeper.IsDead = null;
            Rig.Boot();
            Rig.Engine.RecoverAll();
            MdbVending channel = Channel();
            VendLedger ledger = Rig.Engine.Vends;
            for (int round = 0; round < 3 && ledger.Next(); round++)
            {
                channel.Settle(ledger, afterRestart: true);
            }

            Assert.False(ledger.Next(), "a vend still open: " + at);
            bool paid = Rig.Server.Payments.Values.Any(p => p.Status == "SUCCESS");
            Assert.True(Rig.Server.Refunds.Count <= 1, "two refunds: " + at);
            Assert.True(Rig.Server.CallsTo("refund").Select(c => c.RefundRequestId).Distinct().Count() <= 1, "two refund ids: " + at);
            TransactionJournal j = Rig.Engine.Journal;
            TransactionRecord? sale = Enumerable.Range(0, j.Count).Select(j.Get).SingleOrDefault(x => x.IsSale);
            if (!paid)
            {
                Assert.Empty(Rig.Server.Refunds);
                return;
            }

            Assert.NotNull(sale);
            FakePayment payment = Rig.Server.Payments.Values.Single();
            switch (sale!.Vend)
            {
                case VendState.Refunded:
                    Assert.Equal(payment.Amount, payment.Refunded);
                    Assert.Equal(payment.Amount, sale.RefundedMinor);
                    break;
                case VendState.Review:
                    // Approved before the cut: the machine may have vended; never refunded behind a person's back.
                    Assert.Equal(0, payment.Refunded);
                    break;
                default:
                    Assert.Fail($"vend {sale.Vend} after recovery: {at}");
                    break;
            }

            Rig.Boot();
            Assert.Equal(0, Rig.Engine.RecoverAll());
        }

        private MdbVending Channel()
        {
            // Only Settle is used: the desk is never started, the bridge writes into nothing.
            var desk = new TransactionDesk(Rig.Config.Payments, Rig.Server, new PortableMac(EngineRig.Key), Rig.Storage, Rig.Clock, Rig.Sleeper, Rig.Random, Rig.Log, null, new DeskTimings());
            return new MdbVending(Rig.Config.Vending, "USD", desk, new MdbBridge(new NullPort(), 2), Rig.Clock, Rig.Sleeper, Rig.Log);
        }

        private sealed class NullPort : ISerialPort
        {
            public int Read(byte[] buffer, int offset, int count, int timeoutMs) => 0;

            public void Write(byte[] buffer, int offset, int count)
            {
            }
        }
    }
}
