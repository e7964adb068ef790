using Terminal.Countertop.Receipts;
using Terminal.Drivers.Printer;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Printer;
using Terminal.Tests.Printer;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>
/// Receipts at byte level through the strict ESC/POS printer model: what each copy says, that hostile text from
/// outside cannot form a command, and that the printer's state decides whether a receipt is sent, without the
/// payment ever waiting for it.
/// </summary>
public sealed class ReceiptTests
{
    private static readonly ReceiptHeader Header = new("Corner Cafe", "Main Street 1", "T0001");

    [Fact]
    public void A_paid_sale_prints_a_merchant_and_a_customer_copy_with_everything_a_receipt_needs()
    {
        var rig = new Rig();
        rig.Receipts.OnResult(Sale(FinalStatus.Success, "ALIPAY_CN"));
        rig.PollUntilIdle();

        Assert.Equal(2, rig.Model.Documents.Count);
        Assert.Equal(0, rig.Model.ProtocolErrors);
        Assert.Equal(0, rig.Model.WrappedLines);
        string merchant = rig.Model.Documents[0].ToText();
        string customer = rig.Model.Documents[1].ToText();
        Assert.Equal(merchant.Replace("MERCHANT COPY", "CUSTOMER COPY"), customer);
        foreach (string expected in new[] { "Corner Cafe", "Main Street 1", "Terminal T0001", "S A L E", "2026-01-01 00:00 UTC",
            "Amount", "12.50 USD", "APPROVED", "Reference", "KP-7", "Payment id\n20260101114010800100188820200356\n789\n", "ALIPAY_CN", "MERCHANT COPY" })
        {
            Assert.Contains(expected, merchant);
        }

        Assert.DoesNotContain("Reason", merchant);
        Assert.Equal(1, rig.Receipts.Printed);
        Assert.False(rig.Receipts.Unprinted);
    }

    [Fact]
    public void A_declined_sale_a_refund_and_a_void_print_the_merchant_copy_with_their_titles()
    {
        var rig = new Rig();
        rig.Receipts.OnResult(Sale(FinalStatus.Failed, "", reason: "Declined by the wallet"));
        rig.PollUntilIdle();
        rig.Receipts.OnResult(Result(TransactionKind.Refund, FinalStatus.Success, 500));
        rig.PollUntilIdle();
        rig.Receipts.OnResult(Result(TransactionKind.Void, FinalStatus.Success, 1250));
        rig.PollUntilIdle();

        Assert.Equal(3, rig.Model.Documents.Count);
        string declined = rig.Model.Documents[0].ToText();
        Assert.Contains("DECLINED", declined);
        Assert.Contains("Declined by the wallet", declined);
        Assert.Contains("R E F U N D", rig.Model.Documents[1].ToText());
        Assert.Contains("5.00 USD", rig.Model.Documents[1].ToText());
        Assert.Contains("V O I D", rig.Model.Documents[2].ToText());
        Assert.All(rig.Model.Documents, d => Assert.Contains("MERCHANT COPY", d.ToText()));
        Assert.Equal(0, rig.Model.ProtocolErrors);
    }

    [Fact]
    public void Control_bytes_in_names_references_and_reasons_never_reach_the_printer_as_commands()
    {
        var rig = new Rig(new ReceiptHeader("Evil\u001B@\u001Bd\u00FFCafe", "\u001D!\u0077", "T\n1"));
        rig.Receipts.OnResult(Sale(FinalStatus.Failed, "\u001BE\u0001", reason: "bad \u001D!\u0011 \u0010\u0004\u0001 end", reference: "R\u001Ba\u0002"));
        rig.PollUntilIdle();

        PrintedDocument receipt = Assert.Single(rig.Model.Documents);
        Assert.Equal(0, rig.Model.ProtocolErrors);
        string text = receipt.ToText();
        Assert.Contains("Evil?@?d?Cafe", text);
        Assert.Contains("bad ?!? ??? end", text);
        Assert.All(receipt.Lines, l => Assert.True(l.Chars.All(c => c.Height <= 2 && c.Width <= 2)));
    }

    [Theory]
    [InlineData("paper out", "out of paper")]
    [InlineData("cover open", "cover open")]
    [InlineData("unplugged", "not answering")]
    [InlineData("garbage", "answers garbage")]
    public void A_printer_that_cannot_print_keeps_the_receipt_for_a_reprint(string fault, string problem)
    {
        var rig = new Rig();
        Action mend = Break(rig, fault);
        rig.Receipts.OnResult(Sale(FinalStatus.Success, ""));
        rig.PollUntilIdle();

        Assert.Empty(rig.Model.Documents);
        Assert.True(rig.Receipts.Unprinted);
        Assert.Contains(problem, rig.Receipts.Problem);
        Assert.Contains("not printed", rig.Receipts.DiagnosticLine());

        mend();
        Assert.True(rig.Receipts.Reprint());
        rig.PollUntilIdle();
        Assert.Equal(2, rig.Model.Documents.Count);
        Assert.False(rig.Receipts.Unprinted);
    }

    [Fact]
    public void Results_faster_than_the_printer_wait_their_turn_and_past_the_queue_the_oldest_is_dropped()
    {
        var rig = new Rig();
        for (int i = 1; i <= ReceiptPrinter.QueueCapacity + 1; i++)
        {
            rig.Receipts.OnResult(Sale(FinalStatus.Failed, "", reference: "Q-" + i));
        }

        rig.PollUntilIdle();
        for (int i = 0; i < 10 && rig.Receipts.Printed < ReceiptPrinter.QueueCapacity; i++)
        {
            rig.PollUntilIdle();
        }

        Assert.Equal(1, rig.Receipts.Dropped);
        Assert.Equal(["Q-2", "Q-3", "Q-4", "Q-5"], rig.Model.Documents.Select(d => d.ToText().Contains("Q-2") ? "Q-2" : d.ToText().Contains("Q-3") ? "Q-3" : d.ToText().Contains("Q-4") ? "Q-4" : d.ToText().Contains("Q-5") ? "Q-5" : "?"));
    }

    [Fact]
    public void Paper_running_out_during_a_receipt_is_found_by_the_status_after_it()
    {
        var rig = new Rig();
        rig.Receipts.OnResult(Sale(FinalStatus.Success, ""));
        rig.Clock.Advance(1);
        rig.Receipts.Poll(rig.Clock.Mono); // status asked and answered: ready; the first bytes go out
        rig.Receipts.Poll(rig.Clock.Mono);
        Assert.True(rig.Receipts.Busy);
        rig.Model.PaperOut = true;
        rig.PollUntilIdle();

        Assert.True(rig.Receipts.Unprinted);
        Assert.Contains("while printing", rig.Receipts.Problem);
        Assert.True(rig.Model.LostLines > 0);
    }

    [Fact]
    public void Bytes_go_out_no_faster_than_the_uart_sends_them()
    {
        var rig = new Rig();
        rig.Receipts.OnResult(Sale(FinalStatus.Failed, "", reason: "Declined by the wallet"));
        long start = rig.Clock.Mono;
        rig.Receipts.Poll(start);
        rig.Receipts.Poll(start);
        long maxAhead = 0;
        while (rig.Receipts.Busy)
        {
            rig.Clock.Advance(10);
            rig.Receipts.Poll(rig.Clock.Mono);
            long due = (rig.Clock.Mono - start + 1) * 960 / 1000;
            maxAhead = Math.Max(maxAhead, rig.Model.BytesReceived - (3 * rig.Model.StatusQueries) - due);
        }

        // Never more than the 32 bytes of slack ahead of the line (9600 baud: 960 bytes a second).
        long printed = rig.Model.BytesReceived - (3 * rig.Model.StatusQueries);
        Assert.InRange(printed, 300, ReceiptComposer.Capacity);
        Assert.InRange(maxAhead, 0, 33);
        Assert.True(rig.Clock.Mono - start >= (printed - 33) * 1000 / 960, $"{printed} bytes in {rig.Clock.Mono - start} ms");
    }

    [Fact]
    public void A_request_refused_before_the_journal_prints_nothing_and_the_day_report_adds_up()
    {
        var rig = new Rig();
        rig.Receipts.OnResult(new DeskResult(PaymentResult.Refused(TransactionKind.SaleOrderCode, "BUSY", "busy"), false, "R", 100, "USD", 1));
        rig.PollUntilIdle();
        Assert.Empty(rig.Model.Documents);
        Assert.False(rig.Receipts.Reprint());

        var day = new DayTotals();
        day.Open(3, 1_767_225_600_000);
        day.ClosedEpochMs = 1_767_225_600_000 + 9 * 3_600_000;
        (day.SaleCount, day.SaleMinor, day.RefundCount, day.RefundMinor, day.VoidCount, day.VoidMinor, day.ReviewCount) = (12, 45_600, 1, 1_000, 2, 2_500, 1);
        rig.Receipts.PrintDayReport(day);
        rig.PollUntilIdle();

        string report = Assert.Single(rig.Model.Documents).ToText();
        foreach (string expected in new[] { "END OF DAY", "Period 3", "From 2026-01-01 00:00 UTC", "To   2026-01-01 09:00 UTC",
            "Sales x12", "456.00 USD", "Refunds x1", "10.00 USD", "Voids x2", "25.00 USD", "Net", "421.00 USD", "Needs review: 1" })
        {
            Assert.Contains(expected, report);
        }
    }

    internal static DeskResult Sale(FinalStatus status, string wallet, string reason = "", string reference = "KP-7") =>
        new(new PaymentResult
        {
            Kind = TransactionKind.SaleOrderCode, Status = status, ResultCode = status == FinalStatus.Success ? "SUCCESS" : "USER_BALANCE_NOT_ENOUGH",
            Reason = reason, PaymentId = "20260101114010800100188820200356789", RequestId = "req-7", Reference = reference,
            AmountMinor = 1250, Currency = "USD", WalletName = wallet, Number = 7, FinishedEpochMs = 1_767_225_600_000,
        }, false, reference, 1250, "USD", 1);

    private static DeskResult Result(TransactionKind kind, FinalStatus status, long amount) =>
        new(new PaymentResult
        {
            Kind = kind, Status = status, ResultCode = "SUCCESS", PaymentId = "2026pay", RequestId = "refund-1", Reference = "KP-7",
            AmountMinor = amount, Currency = "USD", Number = 8, FinishedEpochMs = 1_767_225_600_000,
        }, false, "KP-7", amount, "USD", 1);

    private static Action Break(Rig rig, string fault)
    {
        switch (fault)
        {
            case "paper out":
                rig.Model.PaperOut = true;
                return () => rig.Model.PaperOut = false;
            case "cover open":
                rig.Model.CoverOpen = true;
                return () => rig.Model.CoverOpen = false;
            case "unplugged":
                rig.Model.Powered = false;
                return () => rig.Model.Powered = true;
            default:
                rig.Model.GarbledAnswers = true;
                return () => rig.Model.GarbledAnswers = false;
        }
    }

    private sealed class Rig
    {
        public Rig(ReceiptHeader? header = null)
        {
            Printer = new PrinterRig();
            Receipts = new ReceiptPrinter(Printer.Driver, new ReceiptComposer(header ?? Header), Printer.Clock, null!, 9600, 2, "USD");
        }

        public PrinterRig Printer { get; }

        public ReceiptPrinter Receipts { get; }

        public EscPosPrinterModel Model => Printer.Model;

        public Support.FakeClock Clock => Printer.Clock;

        public void PollUntilIdle()
        {
            Clock.Advance(1);
            Receipts.Poll(Clock.Mono);
            for (int i = 0; i < 100_000 && Receipts.Busy; i++)
            {
                Clock.Advance(5);
                Receipts.Poll(Clock.Mono);
            }

            Assert.False(Receipts.Busy);
        }
    }
}
