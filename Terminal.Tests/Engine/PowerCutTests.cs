using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>
/// Cuts the power during every journal write of a flow at every byte (the record is torn: truncated, or new bytes
/// over the old ones), reboots, runs boot recovery and checks that nothing was lost, duplicated or re-sent
/// differently, and that the journal agrees with the provider.
/// </summary>
public sealed class PowerCutTests
{
    public enum Flow
    {
        CpmPaid,
        CpmInProcess,
        CpmCancelled,
        MpmPaid,
        MpmExpiredClosed,
        MpmAborted,
        Refund,
        RefundInProcess,
        Void,
    }

    public static TheoryData<Flow, TearMode> Cases()
    {
        var data = new TheoryData<Flow, TearMode>();
        foreach (Flow flow in Enum.GetValues<Flow>())
        {
            data.Add(flow, TearMode.Truncate);
            data.Add(flow, TearMode.Overwrite);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    internal void Every_cut_of_every_write_recovers_consistently(Flow flow, TearMode tear)
    {
        // Dry run: the journal writes the flow makes, in bytes.
        EngineRig dry = Setup(flow);
        int before = dry.Storage.WriteSizes.Count;
        Run(dry, flow);
        int[] sizes = dry.Storage.WriteSizes.Skip(before).ToArray();
        Assert.NotEmpty(sizes);

        int runs = 0;
        long offset = 0;
        foreach (int size in sizes)
        {
            for (int k = offset == 0 ? 0 : 1; k <= size; k++)
            {
                CutAndRecover(flow, tear, offset + k);
                runs++;
            }

            offset += size;
        }

        Assert.True(runs > sizes.Length);
    }

    /// <summary>
    /// A second power cut during boot recovery (after a first cut at the end of each journal write of the flow),
    /// at every 13th byte of every recovery write, then a second reboot and recovery.
    /// </summary>
    [Theory]
    [MemberData(nameof(Flows))]
    internal void Cuts_during_recovery_are_recovered_too(Flow flow)
    {
        EngineRig dry = Setup(flow);
        int before = dry.Storage.WriteSizes.Count;
        Run(dry, flow);
        long[] firstCuts = dry.Storage.WriteSizes.Skip(before).Select((size, i) => (long)dry.Storage.WriteSizes.Skip(before).Take(i + 1).Sum()).ToArray();

        foreach (long firstCut in firstCuts.Take(firstCuts.Length - 1))
        {
            // Which writes does recovery make after this cut?
            EngineRig probe = CutOnce(flow, firstCut);
            int mark = probe.Storage.WriteSizes.Count;
            probe.Engine.RecoverAll();
            int[] recoveryWrites = probe.Storage.WriteSizes.Skip(mark).ToArray();
            long offset = 0;
            foreach (int size in recoveryWrites)
            {
                for (int k = 1; k <= size; k += 13)
                {
                    EngineRig rig = CutOnce(flow, firstCut);
                    rig.Storage.CutAfterBytes = offset + k;
                    rig.Storage.OnPowerCut = () => rig.Server.Powered = false;
                    rig.Sleeper.IsDead = () => rig.Storage.Dead;
                    rig.Engine.RecoverAll();
                    Assert.True(rig.Storage.Dead);
                    rig.Storage.Reboot();
                    rig.Server.Powered = true;
                    rig.Sleeper.IsDead = null;
                    rig.Boot();
                    rig.Engine.RecoverAll();
                    Check(rig, flow, firstCut * 100000 + offset + k);
                }

                offset += size;
            }
        }
    }

    public static TheoryData<Flow> Flows()
    {
        var data = new TheoryData<Flow>();
        foreach (Flow flow in Enum.GetValues<Flow>())
        {
            data.Add(flow);
        }

        return data;
    }

    /// <summary>Runs the flow with one cut, reboots (engine loaded, recovery not yet run).</summary>
    private static EngineRig CutOnce(Flow flow, long cutAfterBytes)
    {
        EngineRig rig = Setup(flow);
        rig.Storage.CutAfterBytes = cutAfterBytes;
        rig.Storage.OnPowerCut = () => rig.Server.Powered = false;
        rig.Sleeper.IsDead = () => rig.Storage.Dead;
        Run(rig, flow);
        rig.Storage.Reboot();
        rig.Server.Powered = true;
        rig.Sleeper.IsDead = null;
        rig.Storage.OnPowerCut = null;
        rig.Boot();
        return rig;
    }

    private static void CutAndRecover(Flow flow, TearMode tear, long cutAfterBytes)
    {
        EngineRig rig = Setup(flow);
        rig.Storage.Tear = tear;
        rig.Storage.CutAfterBytes = cutAfterBytes;
        rig.Storage.OnPowerCut = () => rig.Server.Powered = false;
        rig.Sleeper.IsDead = () => rig.Storage.Dead;
        Run(rig, flow);
        Assert.True(rig.Storage.Dead, "the cut did not happen at " + cutAfterBytes);

        // Reboot: power back, a new engine over the same storage, recovery.
        rig.Storage.Reboot();
        rig.Server.Powered = true;
        rig.Sleeper.IsDead = null;
        rig.Boot();
        rig.Engine.RecoverAll();
        Check(rig, flow, cutAfterBytes);

        // Recovery is complete: a second boot finds nothing to do.
        rig.Boot();
        Assert.Equal(0, rig.Engine.RecoverAll());
    }

    private static EngineRig Setup(Flow flow)
    {
        var rig = new EngineRig(c =>
        {
            c.Engine.CpmBudgetMs = 8_000;
            c.Engine.KeepTransactions = 3;
        });
        rig.Server.OrderLifetimeMs = 8_000;
        switch (flow)
        {
            case Flow.CpmInProcess:
                rig.Server.Cpm = CpmBehaviour.InProcess;
                rig.Server.PollsUntilPaid = 2;
                break;
            case Flow.CpmCancelled:
                rig.Server.Cpm = CpmBehaviour.InProcess;
                rig.Server.PollsUntilPaid = -1;
                break;
            case Flow.MpmPaid:
                rig.Server.PollsUntilPaid = 2;
                break;
            case Flow.MpmExpiredClosed:
            case Flow.MpmAborted:
                rig.Server.PollsUntilPaid = -1;
                break;
            case Flow.Refund:
            case Flow.RefundInProcess:
            case Flow.Void:
                Assert.Equal(FinalStatus.Success, rig.Cpm(1500, "PAID-1").Status);
                if (flow == Flow.RefundInProcess)
                {
                    rig.Server.RefundInProcess = true;
                    rig.Server.PollsUntilPaid = 2;
                }

                break;
        }

        return rig;
    }

    private static void Run(EngineRig rig, Flow flow)
    {
        switch (flow)
        {
            case Flow.CpmPaid:
            case Flow.CpmInProcess:
            case Flow.CpmCancelled:
                rig.Cpm(1250, "SALE-1");
                break;
            case Flow.MpmPaid:
            case Flow.MpmExpiredClosed:
                rig.Mpm(1250, "SALE-1");
                break;
            case Flow.MpmAborted:
                rig.Events.OnEvent = e =>
                {
                    if (e == "waiting")
                    {
                        rig.Engine.RequestAbort();
                    }
                };
                rig.Mpm(1250, "SALE-1");
                break;
            case Flow.Refund:
            case Flow.RefundInProcess:
                rig.Engine.Refund("PAID-1", 600);
                break;
            case Flow.Void:
                rig.Engine.Void("PAID-1");
                break;
        }
    }

    private static void Check(EngineRig rig, Flow flow, long cut)
    {
        string at = " (cut after " + cut + " bytes)";
        TransactionJournal journal = rig.Engine.Journal;
        Assert.True(journal.FindUnfinished() == null, "unfinished after recovery" + at);
        rig.AssertPaysConsistent();

        var records = Enumerable.Range(0, journal.Count).Select(journal.Get).ToList();
        AssertTotalsAgree(records, journal.Totals, at);
        var sales = records.Where(r => r.IsSale && r.Reference.ToString() == "SALE-1").ToList();
        Assert.True(sales.Count <= 1, "duplicated sale" + at);
        Assert.True(rig.Server.Payments.Count <= (flow >= Flow.Refund ? 1 : 1), "more than one payment at the provider" + at);

        if (flow < Flow.Refund)
        {
            // At most one paymentRequestId was ever sent for the sale, and it is the journaled one.
            var ids = rig.Server.Calls.Select(c => c.PaymentRequestId).Where(i => i != null).Distinct().ToList();
            Assert.True(ids.Count <= 1, "two request ids" + at);
            if (ids.Count == 1)
            {
                Assert.True(sales.Count == 1, "sale lost although the provider saw it" + at);
                TransactionRecord sale = sales[0];
                Assert.Equal(ids[0], sale.RequestId.ToString());
                FakePayment p = rig.Server.Payments.GetValueOrDefault(ids[0]!) ?? new FakePayment
                {
                    RequestId = "", PaymentId = "", Amount = 0, Currency = "", Status = "NONE",
                };
                AssertAgrees(sale.Status, p.Status, at);
            }
            else if (sales.Count == 1)
            {
                Assert.Equal(FinalStatus.Cancelled, sales[0].Status);
            }

            return;
        }

        TransactionRecord paid = records.Single(r => r.IsSale && r.Reference.ToString() == "PAID-1");
        FakePayment payment = rig.Server.Payments.Values.Single();
        if (flow == Flow.Void)
        {
            var voids = records.Where(r => r.Kind == TransactionKind.Void).ToList();
            Assert.True(voids.Count <= 1, "duplicated void" + at);
            bool cancelled = payment.Status == "CANCELLED";
            Assert.Equal(cancelled, paid.HasFlag(TransactionRecord.FlagVoided));
            Assert.Equal(cancelled, voids.Count == 1 && voids[0].Status == FinalStatus.Success);
            return;
        }

        var refunds = records.Where(r => r.Kind == TransactionKind.Refund).ToList();
        Assert.True(refunds.Count <= 1, "duplicated refund" + at);
        Assert.True(rig.Server.Refunds.Count <= 1, "two refunds at the provider" + at);
        Assert.Equal(payment.Refunded, paid.RefundedMinor);
        if (rig.Server.Refunds.Count == 1)
        {
            FakeRefund refund = rig.Server.Refunds.Values.Single();
            Assert.True(refunds.Count == 1, "refund lost although the provider saw it" + at);
            Assert.Equal(refund.RefundRequestId, refunds[0].RequestId.ToString());
            Assert.Equal(FinalStatus.Success, refunds[0].Status);
            Assert.Equal(600, refund.Amount);
        }
        else
        {
            Assert.Empty(refunds);
        }
    }

    /// <summary>The period's totals count each final state of the journal exactly once, whatever the cut.</summary>
    private static void AssertTotalsAgree(List<TransactionRecord> records, DayTotals totals, string at)
    {
        List<TransactionRecord> sales = records.Where(r => r.IsSale && r.Status == FinalStatus.Success).ToList();
        List<TransactionRecord> refunds = records.Where(r => r.Kind == TransactionKind.Refund && r.Status == FinalStatus.Success).ToList();
        List<TransactionRecord> voids = records.Where(r => r.Kind == TransactionKind.Void && r.Status == FinalStatus.Success).ToList();
        Assert.True(sales.Count == totals.SaleCount && sales.Sum(r => r.AmountMinor) == totals.SaleMinor, "sales counted " + totals.SaleCount + at);
        Assert.True(refunds.Count == totals.RefundCount && refunds.Sum(r => r.AmountMinor) == totals.RefundMinor, "refunds counted " + totals.RefundCount + at);
        Assert.True(voids.Count == totals.VoidCount && voids.Sum(r => r.AmountMinor) == totals.VoidMinor, "voids counted " + totals.VoidCount + at);
        Assert.True(records.Count(r => r.Status == FinalStatus.NeedsReview) == totals.ReviewCount, "reviews counted " + totals.ReviewCount + at);
    }

    private static void AssertAgrees(FinalStatus journal, string provider, string at)
    {
        switch (journal)
        {
            case FinalStatus.Success:
                Assert.True(provider == "SUCCESS", "journal says paid, provider says " + provider + at);
                break;
            case FinalStatus.Cancelled:
                Assert.True(provider is "CANCELLED" or "NONE", "journal says cancelled, provider says " + provider + at);
                break;
            case FinalStatus.Failed:
                Assert.True(provider is "FAIL" or "NONE", "journal says failed, provider says " + provider + at);
                break;
            default:
                Assert.Fail("journal says " + journal + " with a healthy provider" + at);
                break;
        }
    }
}
