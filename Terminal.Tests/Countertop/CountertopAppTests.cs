using Terminal.Countertop.Pin;
using Terminal.Countertop.Sound;
using Terminal.Firmware.Screens;
using Terminal.Payments.Journal;
using Terminal.Tests.App;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>
/// The standalone countertop end to end: keys pressed on the PCF8574 keypad model, the whole app with its main loop
/// on a thread, the in-memory Antom, the GM65 model, the ESC/POS printer model and the piezo model; the register
/// stays connected beside it.
/// </summary>
public sealed class CountertopAppTests : IDisposable
{
    private readonly AppRig _rig = new(countertop: true);

    public CountertopAppTests()
    {
        _rig.Start();
    }

    public void Dispose() => _rig.Dispose();

    /// <summary>Everything on the paper so far (the model splits documents where the line paused, as it may under load).</summary>
    private string Printed() => string.Concat(_rig.Printer!.Documents.Select(d => d.ToText()));

    [Fact]
    public void A_keypad_sale_paid_by_the_order_code_prints_two_copies_beeps_and_waits_for_ok()
    {
        _rig.Server.PollsUntilPaid = 3;
        _rig.Type("1250");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.AmountEntry && _rig.App.Countertop!.EnteredMinor == 1250, "the amount on screen");
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.Results.Count == 1, "the result");

        Assert.True(_rig.Results.TryPeek(out var result));
        Assert.Equal((FinalStatus.Success, TransactionKind.SaleOrderCode, 1250L, "KP-1"), (result!.Status, result.Kind, result.AmountMinor, result.Reference));
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 1, "the receipts");
        string paper = Printed();
        Assert.Contains("Corner Cafe", paper);
        Assert.Contains("12.50 USD", paper);
        Assert.True(paper.IndexOf("MERCHANT COPY", StringComparison.Ordinal) < paper.IndexOf("CUSTOMER COPY", StringComparison.Ordinal));
        _rig.WaitUntil(() => _rig.App.Sound!.LastCue == SoundCues.CueSuccess, "the success sound");

        Assert.Equal(ScreenKind.Result, _rig.App.Screen);
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Idle, "the idle screen after OK");
    }

    [Fact]
    public void The_customers_code_wins_the_order_is_closed_and_only_the_code_is_charged()
    {
        _rig.Server.PollsUntilPaid = -1;
        _rig.Type("500A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Qr && _rig.Module.Triggers > 0, "the QR with the scanner armed");
        _rig.Module.Present(AppRig.GoodCode);
        _rig.WaitUntil(() => _rig.Results.Count == 1, "the result");

        Assert.True(_rig.Results.TryPeek(out var result));
        Assert.Equal((FinalStatus.Success, TransactionKind.SalePaymentCode), (result!.Status, result.Kind));
        Assert.Equal("CANCELLED", _rig.Server.Payments.Values.Single(p => p.OrderCode).Status);
        Assert.Single(_rig.Server.Payments.Values, p => p.Status == "SUCCESS");
    }

    [Fact]
    public void Both_ways_at_once_charge_exactly_once()
    {
        // The order is paid at its second inquiry (10 ms apart) while the customer shows a code the moment it exists.
        _rig.Server.PollsUntilPaid = 2;
        _rig.Type("700A");
        _rig.WaitUntil(() => _rig.Server.Payments.Count > 0, "the order");
        _rig.Module.Present(AppRig.GoodCode);
        _rig.WaitUntil(() => _rig.Results.Count == 1 && !_rig.App.Desk.IsBusy, "the result");
        Thread.Sleep(300);

        Assert.Single(_rig.Results);
        Assert.Single(_rig.Server.Payments.Values, p => p.Status == "SUCCESS");
        Assert.Equal(700, _rig.Server.Payments.Values.Single(p => p.Status == "SUCCESS").Amount);
    }

    [Fact]
    public void Cancel_aborts_the_sale_and_keys_mashed_during_it_change_nothing()
    {
        _rig.Server.PollsUntilPaid = -1;
        _rig.Type("900A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Qr, "the QR");
        int refusedBefore = _rig.App.Countertop!.RefusedKeys;
        _rig.Type("1234567890AD#");
        Assert.True(_rig.App.Desk.IsBusy);
        Assert.Equal(900, _rig.Server.Payments.Values.Single().Amount);
        Assert.Equal(refusedBefore + 13, _rig.App.Countertop.RefusedKeys);

        _rig.Type("C");
        _rig.WaitUntil(() => _rig.Results.Count == 1, "the result");
        Assert.True(_rig.Results.TryPeek(out var result));
        Assert.Equal(FinalStatus.Cancelled, result!.Status);
        Assert.Equal("CANCELLED", _rig.Server.Payments.Values.Single().Status);
        _rig.WaitUntil(() => _rig.App.Sound!.LastCue == SoundCues.CueFailure, "the failure sound");
    }

    [Fact]
    public void A_register_sale_takes_the_desk_from_a_half_typed_amount_and_the_keypad_can_cancel_it()
    {
        _rig.Server.PollsUntilPaid = -1;
        _rig.Type("42");
        _rig.WaitUntil(() => _rig.App.Countertop!.HoldsScreen, "the amount entry");
        Assert.True(_rig.Request("SALE 300 USD MPM R-1").Ok);
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Qr && !_rig.App.Countertop!.HoldsScreen, "the register's QR");
        _rig.Type("C");
        Assert.Equal("CANCELLED", _rig.Result("R-1").Outcome);
    }

    [Fact]
    public void The_menu_refunds_part_of_the_last_sale_shows_totals_and_closes_the_day_with_a_printed_report()
    {
        _rig.Server.PollsUntilPaid = 1;
        _rig.Type("2000A");
        _rig.WaitUntil(() => _rig.Results.Count == 1, "the sale");
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 1 && _rig.App.Screen == ScreenKind.Idle, "the receipts and idle");

        _rig.Type("D" + AppRig.MenuPin + "A");
        _rig.WaitUntil(() => _rig.App.Countertop!.InMenu && _rig.Log.Lines.Any(l => l.Contains("menu: opened")), "the menu");
        _rig.Type("1");           // refund: the newest sale
        _rig.Type("A");           // choose it: the full 20.00 is offered
        _rig.Type("750A");        // a partial refund of 7.50
        _rig.WaitUntil(() => _rig.Results.Count == 2, "the refund");
        Assert.Equal((TransactionKind.Refund, FinalStatus.Success, 750L), (_rig.Results.Last().Kind, _rig.Results.Last().Status, _rig.Results.Last().AmountMinor));
        Assert.Equal(750, _rig.Server.Payments.Values.Single().Refunded);
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 2, "the refund receipt");
        Assert.Contains("R E F U N D", Printed());
        _rig.Type("A");

        _rig.Type("D" + AppRig.MenuPin + "A5A");
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 3, "the end-of-day report");
        string all = Printed();
        string report = all[all.IndexOf("END OF DAY", StringComparison.Ordinal)..];
        Assert.Contains("END OF DAY", report);
        Assert.Contains("Sales x1", report);
        Assert.Contains("Refunds x1", report);
        Assert.Contains("12.50 USD", report);
        _rig.Type("CC"); // from the report back to the menu, then out
        _rig.WaitUntil(() => !_rig.App.Countertop!.InMenu, "the menu closed");
        Assert.Equal(2, _rig.App.Desk.Last!.Payment.Number);
    }

    [Fact]
    public void The_menu_finds_an_older_sale_by_its_typed_receipt_number_and_refunds_only_that_one()
    {
        _rig.Server.PollsUntilPaid = 1;
        foreach (string amount in new[] { "1500", "800" })
        {
            int before = _rig.Results.Count;
            _rig.Type(amount + "A");
            _rig.WaitUntil(() => _rig.Results.Count == before + 1, "sale of " + amount);
            _rig.Type("A");
            _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Idle, "idle after " + amount);
        }

        Assert.Equal(new[] { "KP-1", "KP-2" }, _rig.Results.Select(r => r.Reference));
        _rig.Type("D" + AppRig.MenuPin + "A");
        _rig.WaitUntil(() => _rig.App.Countertop!.InMenu && _rig.Log.Lines.Any(l => l.Contains("menu: opened")), "the menu");

        // A number the journal does not hold: nothing is refunded, the menu says so.
        _rig.Type("1" + "97A");
        _rig.WaitUntil(() => _rig.Log.Lines.Any(l => l.Contains("menu: no sale KP-97")), "the number not found");
        Assert.All(_rig.Server.Payments.Values, p => Assert.Equal(0, p.Refunded));

        // Back to the menu; refund, receipt number 1 (the older sale, not the newest offered first), the full amount.
        _rig.Type("C" + "1" + "1A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.AmountEntry, "the refund amount");
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.Results.Count == 3, "the refund");

        Assert.Equal((TransactionKind.Refund, FinalStatus.Success, 1500L), (_rig.Results.Last().Kind, _rig.Results.Last().Status, _rig.Results.Last().AmountMinor));
        Assert.Equal(1500, _rig.Server.Payments.Values.Single(p => p.Amount == 1500).Refunded);
        Assert.Equal(0, _rig.Server.Payments.Values.Single(p => p.Amount == 800).Refunded);
    }

    [Fact]
    public void The_menu_shows_the_last_result_again_reprints_voids_the_last_sale_and_changes_the_pin()
    {
        _rig.Server.PollsUntilPaid = 1;
        _rig.Type("1500A");
        _rig.WaitUntil(() => _rig.Results.Count == 1, "the sale");
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 1 && _rig.App.Screen == ScreenKind.Idle, "the receipts and idle");

        // 3: the last result again, until OK.
        OpenMenu(1);
        _rig.Type("3");
        _rig.WaitUntil(() => !_rig.App.Countertop!.InMenu && _rig.App.Screen == ScreenKind.Result, "the last result again");
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Idle, "idle");

        // 6: the last receipt again; then back to the menu.
        OpenMenu(2);
        _rig.Type("6");
        _rig.WaitUntil(() => _rig.App.Receipts!.Printed == 2, "the reprint");
        _rig.Type("C");

        // 2: the newest paid sale voided, after OK.
        _rig.Type("2A");
        _rig.WaitUntil(() => _rig.Results.Count == 2, "the void");
        Assert.Equal((TransactionKind.Void, FinalStatus.Success, "KP-1"), (_rig.Results.Last().Kind, _rig.Results.Last().Status, _rig.Results.Last().Reference));
        Assert.Equal("CANCELLED", _rig.Server.Payments.Values.Single().Status);
        _rig.Type("A");
        _rig.WaitUntil(() => _rig.App.Screen == ScreenKind.Idle, "idle after the void");

        // A voided sale cannot be voided again: OK changes nothing.
        OpenMenu(3);
        _rig.Type("2A");
        Thread.Sleep(200);
        Assert.Equal(2, _rig.Results.Count);

        // 9: a new PIN, typed twice; the old one is wrong from then on, the new one opens the menu.
        _rig.Type("9" + "1357A" + "1357A");
        _rig.WaitUntil(() => _rig.Log.Lines.Any(l => l.Contains("menu: PIN changed")), "the PIN changed");
        _rig.Type("CC");
        _rig.WaitUntil(() => !_rig.App.Countertop!.InMenu, "the menu closed");
        _rig.Type("D" + AppRig.MenuPin + "AC");
        _rig.WaitUntil(() => _rig.Log.Lines.Any(l => l.Contains("wrong PIN")), "the old PIN refused");
        _rig.Type("D1357A");
        _rig.WaitUntil(() => Opened() == 4, "the menu opened with the new PIN");
    }

    private int Opened() => _rig.Log.Lines.Count(l => l.Contains("menu: opened"));

    private void OpenMenu(int times)
    {
        _rig.Type("D" + AppRig.MenuPin + "A");
        _rig.WaitUntil(() => _rig.App.Countertop!.InMenu && Opened() == times, "the menu");
    }

    [Fact]
    public void Five_wrong_pins_lock_the_menu_and_even_the_right_pin_is_refused_until_the_wait_is_over()
    {
        for (int i = 0; i < PinVault.FreeTries; i++)
        {
            _rig.Type("D0000AC");
        }

        _rig.WaitUntil(() => _rig.Log.Lines.Count(l => l.Contains("wrong PIN")) == PinVault.FreeTries, "five wrong tries");
        _rig.Type("D" + AppRig.MenuPin + "A");
        Thread.Sleep(100);
        Assert.DoesNotContain(_rig.Log.Lines, l => l.Contains("menu: opened"));
        Assert.Equal(ScreenKind.Diagnostics, _rig.App.Screen);
        _rig.Type("C");
        _rig.WaitUntil(() => !_rig.App.Countertop!.HoldsScreen, "the menu closed");
    }

    [Fact]
    public void Diag_names_the_keypad_and_the_printer()
    {
        _rig.Type("1C");
        _rig.WaitUntil(() => _rig.App.Countertop!.RefusedKeys >= 0 && !_rig.App.Countertop.HoldsScreen, "the entry cleared");
        var reply = _rig.Request("DIAG");
        string all = string.Join("\n", reply.Info);
        Assert.Contains("keypad presses=2", all);
        Assert.Contains("printer", all);
    }
}
