using Terminal.Firmware.Screens;
using Terminal.Payments.Journal;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Register;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>
/// The power fails in the middle of a refund started from the merchant menu, right after each journal write the
/// refund makes (found by a run without a cut). After the reboot the refund is at Antom at most once, and a refund
/// Antom has is reported on the host link (RESULT REFUND of the sale's reference) by the rebooted terminal or was
/// reported before the cut: never silently lost.
/// </summary>
public sealed class MenuRefundPowerCutTests
{
    private const long SaleAmount = 2000;
    private const long RefundAmount = 750;

    [Fact]
    public void A_menu_refund_cut_after_any_of_its_journal_writes_is_at_antom_at_most_once_and_reported()
    {
        int[] refundWrites = DryRun();
        Assert.True(refundWrites.Length >= 2, "a refund journals at least its start and its end");
        for (int cutAfter = 1; cutAfter <= refundWrites.Length; cutAfter++)
        {
            CutAndReboot(refundWrites.Take(cutAfter).Sum(), $"cut after write {cutAfter} of {refundWrites.Length}");
        }
    }

    [Fact]
    public void A_refund_reported_before_an_ordinary_power_off_is_not_reported_again_at_the_next_boot()
    {
        var storage = new MemoryStorage();
        var server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, new Terminal.Host.SystemClock()) { OrderLifetimeMs = 3000 };
        string reference;
        using (AppRig first = new AppRig(storage: storage, server: server, countertop: true).Start())
        {
            reference = PaySale(first);
            OpenRefund(first);
            PressOk(first);
            Assert.Equal("SUCCESS", first.Result(reference).Outcome);
            first.WaitUntil(() => first.App.Receipts!.Printed == 2, "the refund's receipt");
        }

        using AppRig second = new AppRig(storage: storage, server: server, countertop: true).Start();
        Thread.Sleep(300);

        Assert.DoesNotContain(second.Lines, l => l.Contains("RESULT"));
        Assert.Equal(0, second.App.Receipts!.Printed);
        Assert.Single(server.Refunds);
    }

    /// <summary>The sizes of the writes from the refund's last key to its result reaching the app's observer.</summary>
    private static int[] DryRun()
    {
        using AppRig rig = new AppRig(countertop: true).Start();
        string reference = PaySale(rig);
        OpenRefund(rig);
        int from = rig.Storage.WriteSizes.Count;
        int to = -1;
        rig.App.ResultObserver = r =>
        {
            if (r.Kind == TransactionKind.Refund)
            {
                to = rig.Storage.WriteSizes.Count;
            }
        };
        PressOk(rig);
        HostLinkResultLine refund = rig.Result(reference);
        Assert.Equal(("REFUND", "SUCCESS", RefundAmount), (refund.Kind, refund.Outcome, refund.AmountMinor));
        return rig.Storage.WriteSizes.Skip(from).Take(to - from).ToArray();
    }

    private static void CutAndReboot(long cutAfterBytes, string what)
    {
        var storage = new MemoryStorage();
        var server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, new Terminal.Host.SystemClock()) { OrderLifetimeMs = 3000 };
        string reference;
        bool reportedBeforeCut;
        var rail = new PowerRail();
        using (AppRig first = new AppRig(storage: storage, server: server, countertop: true, wire: p => p.HostLinkPort = new PoweredSerialPort(p.HostLinkPort!, rail)).Start())
        {
            reference = PaySale(first);
            OpenRefund(first);
            // The whole device goes at once: the flash, the network and the host link's UART.
            storage.OnPowerCut = () =>
            {
                server.Powered = false;
                rail.Cut();
            };
            storage.CutAfterBytes = cutAfterBytes;
            PressOk(first);
            first.WaitUntil(() => storage.Dead, what + ": the cut");
            Thread.Sleep(100);
            reportedBeforeCut = first.Lines.Any(l => l.Contains("RESULT REFUND " + reference));
        }

        storage.Reboot();
        storage.OnPowerCut = null;
        server.Powered = true;
        using AppRig second = new AppRig(storage: storage, server: server, countertop: true).Start();
        second.WaitUntil(() => second.App.Phase == Terminal.Transactions.DeskPhase.Idle, what + ": recovery");
        Thread.Sleep(200);

        Assert.True(server.Refunds.Count <= 1, what + ": the refund reached Antom " + server.Refunds.Count + " times");
        long refunded = server.Payments.Values.Single().Refunded;
        Assert.True(refunded == 0 || refunded == RefundAmount, what + ": Antom refunded " + refunded);
        bool reportedAfter = second.Lines.Any(l => l.Contains("RESULT REFUND " + reference));
        if (refunded == RefundAmount)
        {
            Assert.True(reportedBeforeCut || reportedAfter,
                what + ": Antom has the refund but the register never heard of it; lines after the reboot:\n" + string.Join("\n", second.Lines));
        }
    }

    private static string PaySale(AppRig rig)
    {
        rig.Server.PollsUntilPaid = 1;
        rig.Type(SaleAmount + "A");
        HostLinkResultLine sale = rig.Result();
        Assert.Equal(("SALE", "SUCCESS"), (sale.Kind, sale.Outcome));
        rig.Type("A");
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.Idle, "idle after the sale");
        return sale.Reference;
    }

    /// <summary>Menu, PIN, refund, the newest sale, a partial amount: everything but the last OK.</summary>
    private static void OpenRefund(AppRig rig)
    {
        rig.Type("D" + AppRig.MenuPin + "A");
        rig.WaitUntil(() => rig.App.Countertop!.InMenu && rig.Log.Lines.Any(l => l.Contains("menu: opened")), "the menu");
        rig.Type("1A" + RefundAmount);
    }

    /// <summary>The last OK, without waiting for the key's release to be read (the power may be gone by then).</summary>
    private static void PressOk(AppRig rig)
    {
        int presses = rig.App.Keypad!.Presses + rig.App.Keypad.Dropped;
        rig.Keys!.Press('A');
        rig.WaitUntil(() => rig.App.Keypad.Presses + rig.App.Keypad.Dropped > presses, "the OK key to be read");
        rig.Keys.Release('A');
    }
}
