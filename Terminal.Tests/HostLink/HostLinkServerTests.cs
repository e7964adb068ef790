using Terminal.Firmware.HostLink;
using Xunit;

namespace Terminal.Tests.HostLink;

public class HostLinkServerTests
{
    private static HostLinkResult PaidSale() => new()
    {
        Kind = HostLinkKind.Sale,
        Reference = "A-1001",
        Outcome = HostLinkOutcome.Success,
        AmountMinor = 1250,
        Currency = "USD",
        PaymentId = "20240101123456",
        Message = "Paid",
    };

    [Fact]
    public void Ping_answers_the_protocol_version()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "1 OK PING HL1" }, rig.Request("1 PING"));
        Assert.Empty(rig.Handler.Calls);
    }

    [Fact]
    public void Sale_is_passed_to_the_app_and_acknowledged()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "2 OK SALE A-1001" }, rig.Request("2 SALE 1250 USD CPM A-1001"));
        Assert.Equal(new[] { "StartSale 1250 USD Cpm A-1001" }, rig.Handler.Calls);
        Assert.True(rig.Server.SaleOpen);
    }

    [Fact]
    public void A_second_sale_while_one_is_open_is_busy_without_asking_the_app()
    {
        var rig = new HostLinkRig();
        rig.Request("2 SALE 1250 USD CPM A-1001");
        Assert.Equal(new[] { "3 ERR BUSY a sale is in progress" }, rig.Request("3 SALE 500 USD MPM A-1002"));
        Assert.Single(rig.Handler.Calls);
    }

    [Fact]
    public void The_result_of_the_sale_ends_it_and_the_next_sale_is_accepted()
    {
        var rig = new HostLinkRig();
        rig.Request("2 SALE 1250 USD CPM A-1001");
        rig.Server.SendResult(PaidSale());
        Assert.Equal(new[] { "!1 RESULT SALE A-1001 SUCCESS 1250 USD 20240101123456 - Paid" }, rig.Received());
        Assert.False(rig.Server.SaleOpen);
        Assert.Equal(new[] { "4 OK SALE A-1002" }, rig.Request("4 SALE 500 USD MPM A-1002"));
    }

    [Fact]
    public void A_refund_result_does_not_end_an_open_sale()
    {
        var rig = new HostLinkRig();
        rig.Request("2 SALE 1250 USD CPM A-1001");
        rig.Server.SendResult(new HostLinkResult { Kind = HostLinkKind.Refund, Reference = "A-0999", Outcome = HostLinkOutcome.Success });
        Assert.True(rig.Server.SaleOpen);
    }

    [Theory]
    [InlineData(HostLinkAnswer.Busy, null, "5 ERR BUSY another transaction is in progress")]
    [InlineData(HostLinkAnswer.Busy, "refund running", "5 ERR BUSY refund running")]
    [InlineData(HostLinkAnswer.Refused, "no network", "5 ERR REFUSED no network")]
    [InlineData(HostLinkAnswer.Refused, null, "5 ERR REFUSED not possible now")]
    public void A_sale_the_app_refuses_is_not_open(HostLinkAnswer answer, string? detail, string reply)
    {
        var rig = new HostLinkRig();
        rig.Handler.SaleAnswer = answer;
        rig.Handler.Detail = detail;
        Assert.Equal(new[] { reply }, rig.Request("5 SALE 1250 USD CPM A-1001"));
        Assert.False(rig.Server.SaleOpen);
    }

    [Fact]
    public void A_sale_that_ends_while_being_started_is_not_left_open()
    {
        var rig = new HostLinkRig();
        rig.Handler.DuringSale = () =>
        {
            rig.Server.SendShowQr("A-1001", "https://qr.alipay.com/bax0001");
            rig.Server.SendResult(new HostLinkResult { Kind = HostLinkKind.Sale, Reference = "A-1001", Outcome = HostLinkOutcome.Fail, ReasonCode = "NETWORK_DOWN" });
        };

        var lines = rig.Request("6 SALE 1250 USD MPM A-1001");

        Assert.Equal(new[]
        {
            "!1 SHOW_QR A-1001 https://qr.alipay.com/bax0001",
            "!2 RESULT SALE A-1001 FAIL 0 - - NETWORK_DOWN",
            "6 OK SALE A-1001",
        }, lines);
        Assert.False(rig.Server.SaleOpen);
    }

    [Fact]
    public void A_resent_request_gets_the_same_reply_without_a_second_sale()
    {
        var rig = new HostLinkRig();
        var first = rig.Request("7 SALE 1250 USD CPM A-1001");
        var again = rig.Request("7 SALE 1250 USD CPM A-1001");
        Assert.Equal(first, again);
        Assert.Single(rig.Handler.Calls);
        // A different id is a new request: busy.
        Assert.Equal(new[] { "8 ERR BUSY a sale is in progress" }, rig.Request("8 SALE 1250 USD CPM A-1001"));
    }

    [Fact]
    public void Abort_is_passed_on_and_a_missing_sale_is_said()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "9 OK ABORT" }, rig.Request("9 ABORT"));
        rig.Handler.AbortAnswer = HostLinkAnswer.NoSale;
        Assert.Equal(new[] { "10 ERR NOSALE no sale in progress" }, rig.Request("10 ABORT"));
        Assert.Equal(new[] { "Abort", "Abort" }, rig.Handler.Calls);
    }

    [Fact]
    public void Refund_by_reference_and_by_payment_id()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "11 OK REFUND" }, rig.Request("11 REFUND REF A-1001 500"));
        Assert.Equal(new[] { "12 OK REFUND" }, rig.Request("12 REFUND PAYMENT 2024010112 1250"));
        Assert.Equal(new[] { "Refund A-1001 null 500", "Refund null 2024010112 1250" }, rig.Handler.Calls);
        rig.Handler.RefundAnswer = HostLinkAnswer.NotFound;
        Assert.Equal(new[] { "13 ERR NOTFOUND no such transaction" }, rig.Request("13 REFUND REF A-9 1"));
    }

    [Fact]
    public void Void_by_reference_and_by_payment_id()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "14 OK VOID" }, rig.Request("14 VOID REF A-1001"));
        Assert.Equal(new[] { "15 OK VOID" }, rig.Request("15 VOID PAYMENT 2024010112"));
        Assert.Equal(new[] { "Void A-1001 null", "Void null 2024010112" }, rig.Handler.Calls);
        rig.Handler.VoidAnswer = HostLinkAnswer.Busy;
        Assert.Equal(new[] { "16 ERR BUSY another transaction is in progress" }, rig.Request("16 VOID REF A-1001"));
    }

    [Fact]
    public void Status_gives_the_apps_line()
    {
        var rig = new HostLinkRig();
        rig.Handler.StatusText = "SALE A-1001 WAITING_FOR_CUSTOMER";
        Assert.Equal(new[] { "17 OK STATUS SALE A-1001 WAITING_FOR_CUSTOMER" }, rig.Request("17 STATUS"));
    }

    [Fact]
    public void Last_gives_the_kept_result_or_none()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "18 ERR NONE no transaction yet" }, rig.Request("18 LAST"));
        rig.Handler.LastResult = PaidSale();
        Assert.Equal(new[] { "19 OK LAST SALE A-1001 SUCCESS 1250 USD 20240101123456 - Paid" }, rig.Request("19 LAST"));
    }

    [Fact]
    public void Diag_sends_info_lines_then_the_count()
    {
        var rig = new HostLinkRig();
        rig.Request("1 PING");
        var lines = rig.Request("20 DIAG");
        Assert.Equal(4, lines.Count);
        Assert.Equal("20 INFO hostlink HL1 answered=1 rejected=0 writeFailures=0 readFailures=0 lastEvent=0", lines[0]);
        Assert.Equal("20 INFO firmware 1.0.0", lines[1]);
        Assert.Equal("20 INFO scanner Scanner ready", lines[2]);
        Assert.Equal("20 OK DIAG 3", lines[3]);
    }

    [Fact]
    public void Selftest_sends_each_check_then_the_counts()
    {
        var rig = new HostLinkRig();
        var lines = rig.Request("21 SELFTEST");
        Assert.Equal("21 OK SELFTEST " + (lines.Count - 2) + " 0", lines[^1]);
        Assert.Contains("21 INFO PASS hostlink parses a SALE line", lines);
        Assert.Contains("21 INFO PASS scanner framer strips the trigger ACK", lines);
        Assert.Contains("21 INFO PASS payment code verdicts", lines);
        Assert.Equal("21 INFO " + (lines.Count - 2) + " passed, 0 failed", lines[^2]);
        Assert.DoesNotContain(lines, l => l.Contains("FAIL"));
    }

    [Fact]
    public void Selftest_is_refused_during_a_transaction()
    {
        var rig = new HostLinkRig();
        rig.Handler.IsBusy = true;
        Assert.Equal(new[] { "22 ERR BUSY self-test only when idle" }, rig.Request("22 SELFTEST"));
        rig.Handler.IsBusy = false;
        rig.Request("23 SALE 1 USD MPM A");
        Assert.Equal(new[] { "24 ERR BUSY self-test only when idle" }, rig.Request("24 SELFTEST"));
    }

    [Fact]
    public void An_app_failure_is_an_internal_error_not_a_crash()
    {
        var rig = new HostLinkRig();
        rig.Handler.Throw = new InvalidOperationException("journal full");
        Assert.Equal(new[] { "25 ERR INTERNAL journal full" }, rig.Request("25 SALE 1250 USD CPM A-1001"));
        Assert.False(rig.Server.SaleOpen);
        Assert.Equal(new[] { "26 ERR INTERNAL journal full" }, rig.Request("26 STATUS"));
        rig.Handler.Throw = null;
        Assert.Equal(new[] { "27 OK SALE A-1001" }, rig.Request("27 SALE 1250 USD CPM A-1001"));
    }

    [Theory]
    [InlineData("1 PING*00\r\n", "0 ERR CHECKSUM checksum does not match")]
    [InlineData("1 PING\r\n", "0 ERR CHECKSUM line must end with its checksum")]
    [InlineData("1 PI\u0007NG*F7\r\n", "0 ERR BADBYTE line holds a byte that is not printable ASCII")]
    public void Wire_errors_are_answered_with_id_0(string raw, string reply)
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { reply }, rig.SendRaw(Wire.Bytes(raw)));
        Assert.Equal(1, rig.Server.LinesRejected);
        Assert.Empty(rig.Handler.Calls);
    }

    [Fact]
    public void Syntax_unknown_and_argument_errors_are_answered()
    {
        var rig = new HostLinkRig();
        Assert.Equal(new[] { "0 ERR SYNTAX id must be 1 to 999999999 without leading zeros" }, rig.Request("01 PING"));
        Assert.Equal(new[] { "3 ERR UNKNOWN unknown command" }, rig.Request("3 REBOOT"));
        Assert.Equal(new[] { "4 ERR ARGS currency must be three capital letters (ISO 4217)" }, rig.Request("4 SALE 1 usd CPM A"));
        Assert.Empty(rig.Handler.Calls);
        Assert.False(rig.Server.SaleOpen);
    }

    [Fact]
    public void An_overlong_line_is_answered_once_and_the_next_line_works()
    {
        var rig = new HostLinkRig();
        var lines = rig.SendRaw(Wire.Bytes(new string('9', 3000) + "\r\n" + Wire.Line("5 PING")));
        Assert.Equal(new[] { "0 ERR TOOLONG line longer than 256 bytes", "5 OK PING HL1" }, lines);
    }

    [Fact]
    public void A_line_split_at_every_byte_is_answered_once()
    {
        byte[] line = Wire.Bytes(Wire.Line("31 SALE 1250 USD CPM A-1001"));
        for (int split = 0; split <= line.Length; split++)
        {
            var rig = new HostLinkRig();
            var lines = rig.SendRaw(line[..split]);
            lines.AddRange(rig.SendRaw(line[split..]));
            Assert.Equal(new[] { "31 OK SALE A-1001" }, lines);
            Assert.Single(rig.Handler.Calls);
        }
    }

    [Fact]
    public void Garbage_left_by_a_reconnect_costs_one_error_then_lines_work()
    {
        var rig = new HostLinkRig();
        var lines = rig.SendRaw(Wire.Bytes("1 SALE 12" + Wire.Line("2 PING")));
        Assert.Equal(new[] { "0 ERR CHECKSUM checksum does not match" }, lines);
        Assert.Equal(new[] { "3 OK PING HL1" }, rig.Request("3 PING"));
        Assert.Empty(rig.Handler.Calls);
    }

    [Fact]
    public void Events_are_formatted_with_their_own_sequence()
    {
        var rig = new HostLinkRig();
        rig.Server.SendShowQr("A-1001", "https://qr.alipay.com/bax03206sbqcrf9wq6ab0083");
        rig.Server.SendWaitingForCustomer("A-1001");
        rig.Server.SendProcessing("A-1001");
        rig.Server.SendResult(new HostLinkResult
        {
            Kind = HostLinkKind.Sale, Reference = "A-1001", Outcome = HostLinkOutcome.Fail, AmountMinor = 1250,
            Currency = "USD", PaymentId = "2024", ReasonCode = "USER_BALANCE_NOT_ENOUGH", Message = "Balance too low",
        });
        rig.Server.SendResult(new HostLinkResult { Kind = HostLinkKind.Refund, Reference = "A-1", Outcome = HostLinkOutcome.Cancelled, AmountMinor = 5, Currency = "USD" });
        rig.Server.SendResult(new HostLinkResult { Kind = HostLinkKind.Void, Reference = "A-2", Outcome = HostLinkOutcome.NeedsReview, AmountMinor = 7, Currency = "EUR" });
        rig.Server.SendNeedsReview("A-1001", "cancel not confirmed after 10 tries");
        rig.Server.SendDeviceStatus("SCANNER", "NOT_RESPONDING", "Scanner not responding: check its cable, 5 V power and 9600 baud");

        Assert.Equal(new[]
        {
            "!1 SHOW_QR A-1001 https://qr.alipay.com/bax03206sbqcrf9wq6ab0083",
            "!2 WAITING_FOR_CUSTOMER A-1001",
            "!3 PROCESSING A-1001",
            "!4 RESULT SALE A-1001 FAIL 1250 USD 2024 USER_BALANCE_NOT_ENOUGH Balance too low",
            "!5 RESULT REFUND A-1 CANCELLED 5 USD - -",
            "!6 RESULT VOID A-2 NEEDS_REVIEW 7 EUR - -",
            "!7 NEEDS_REVIEW A-1001 cancel not confirmed after 10 tries",
            "!8 DEVICE SCANNER NOT_RESPONDING Scanner not responding: check its cable, 5 V power and 9600 baud",
        }, rig.Received());
        Assert.Equal(8, rig.Server.LastSequence);
    }

    [Fact]
    public void A_qr_text_too_long_for_a_line_is_sent_as_a_dash()
    {
        var rig = new HostLinkRig();
        rig.Server.SendShowQr("A-1001", "https://example.com/" + new string('q', 300));
        Assert.Equal(new[] { "!1 SHOW_QR A-1001 -" }, rig.Received());
    }

    [Fact]
    public void A_pulled_cable_loses_lines_but_never_the_sale_or_its_result()
    {
        var rig = new HostLinkRig();
        rig.Request("40 SALE 1250 USD MPM A-1001");
        rig.Pair.A.Disconnected = true;

        rig.Server.SendShowQr("A-1001", "https://qr.alipay.com/x");
        rig.Server.SendResult(PaidSale());
        rig.Pair.A.Inject(Wire.Bytes(Wire.Line("41 STATUS")));
        rig.Server.Poll(0);

        Assert.Equal(3, rig.Server.WriteFailures);
        Assert.False(rig.Server.SaleOpen);

        // Reconnected: the controller asks for the result it missed.
        rig.Pair.A.Disconnected = false;
        rig.Handler.LastResult = PaidSale();
        Assert.Equal(new[] { "42 OK LAST SALE A-1001 SUCCESS 1250 USD 20240101123456 - Paid" }, rig.Request("42 LAST"));
        // Events kept their numbers while lost: the gap tells the controller it missed some.
        rig.Server.SendProcessing("A-1002");
        Assert.Equal(new[] { "!3 PROCESSING A-1002" }, rig.Received());
    }

    [Fact]
    public void A_failing_read_returns_nothing_and_counts()
    {
        var rig = new HostLinkRig();
        rig.Pair.A.ReadFails = true;
        Assert.Equal(0, rig.Server.Poll(10));
        Assert.Equal(1, rig.Server.ReadFailures);
    }

    [Fact]
    public void The_event_sequence_wraps_to_1()
    {
        var rig = new HostLinkRig();
        typeof(HostLinkServer).GetField("_sequence", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .SetValue(rig.Server, HostLinkProtocol.MaxId - 1);
        rig.Server.SendProcessing("A");
        rig.Server.SendProcessing("A");
        Assert.Equal(new[] { "!999999999 PROCESSING A", "!1 PROCESSING A" }, rig.Received());
    }

    [Fact]
    public void Constructor_refuses_missing_parts()
    {
        var pair = new Terminal.Tests.Scanner.InMemorySerialPair();
        Assert.Throws<ArgumentNullException>(() => new HostLinkServer(null!, new FakeHostLinkHandler()));
        Assert.Throws<ArgumentNullException>(() => new HostLinkServer(pair.A, null!));
        Assert.Throws<ArgumentNullException>(() => new HostLinkServer(pair.A, new FakeHostLinkHandler()).SendResult(null!));
    }

    [Fact]
    public void Rejected_lines_and_events_allocate_nothing()
    {
        var rig = new HostLinkRig();
        byte[] garbage = Wire.Bytes("1 PING*00\r\n\u0001\u0002 junk\r\n" + new string('x', 300) + "\n");
        var result = PaidSale();
        for (int i = 0; i < 3; i++)
        {
            rig.SendRaw(garbage);
            rig.Server.SendResult(result);
            rig.Server.SendProcessing("A-1001");
            rig.Pair.B.Drain();
        }

        rig.Pair.B.WrittenLog.Capacity = 1 << 20;
        rig.Pair.A.WrittenLog.Capacity = 1 << 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.Pair.A.Inject(garbage);
        long injected = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        while (rig.Pair.A.Available > 0)
        {
            rig.Server.Poll(0);
        }

        rig.Server.SendResult(result);
        rig.Server.SendProcessing("A-1001");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(injected >= 0);
    }
}
