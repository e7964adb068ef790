using System.Text;
using Terminal.Gateway.EndOfDay;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>Hostile or broken reports are refused whole, with the line and the reason; a good one is read.</summary>
public sealed class AntomReportInputTests
{
    private const int Limit = 1024 * 1024;

    private static string Refusal(string text, string? merchant = "MERCHANT0001") => Refusal(Encoding.UTF8.GetBytes(text), merchant);

    private static string Refusal(byte[] bytes, string? merchant = "MERCHANT0001", int limit = Limit) =>
        Assert.Throws<AntomReportException>(() => AntomTransactionReport.Parse(bytes, limit, merchant)).Message;

    private static string Row(string amount = "12.50", string currency = "USD", string time = "2026-12-03T10:00:05+00:00", string merchant = "MERCHANT0001") =>
        $"{merchant},Antom,A1,,P1,PAYMENT,{time},{amount},{currency}";

    [Fact]
    public void A_good_report_is_read_with_minor_units_and_line_numbers()
    {
        var rows = AntomTransactionReport.Parse(Encoding.UTF8.GetBytes(ReconciliationTests.Report(
            "A1,,P1,PAYMENT,2026-12-03T10:00:05+08:00,12.50,USD", "A2,,P2,PAYMENT,2026-12-03T10:00:06+08:00,500,JPY")), Limit, "MERCHANT0001");
        Assert.Equal([(2, "A1", 1250L, "USD"), (3, "A2", 500L, "JPY")], rows.Select(r => (r.Line, r.TransactionId, r.AmountMinor, r.Currency)));
        Assert.Equal(TimeSpan.FromHours(8), rows[0].Time.Offset);
    }

    [Fact]
    public void Wrong_columns_are_refused()
    {
        Assert.Contains("transactionAmountValue", Refusal("customerId,transactionId,transactionType,transactionTime,transactionCurrency\n<END>\n"));
        Assert.Contains("missing", Refusal("a,b,c\n1,2,3\n<END>\n"));
        Assert.Contains("appears twice", Refusal(
            "transactionId,transactionId,transactionType,transactionTime,transactionAmountValue,transactionCurrency\n<END>\n"));
        Assert.Contains("line 2: 8 fields, the header has 9", Refusal(ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50")));
        Assert.Contains("empty", Refusal(""));
    }

    [Theory]
    [InlineData("12.505")]     // more decimals than USD has
    [InlineData("12,50")]      // comma decimal (quoted, so it is one field)
    [InlineData("1e3")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("99999999999999999999")]
    [InlineData("--1")]
    public void Bad_amounts_are_refused(string amount)
    {
        string message = Refusal(ReconciliationTests.Report($"A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,\"{amount}\",USD"));
        Assert.Contains("line 2, transactionAmountValue", message);
    }

    [Fact]
    public void Bad_currencies_times_types_and_ids_are_refused()
    {
        Assert.Contains("transactionCurrency", Refusal(ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50,usd")));
        Assert.Contains("transactionTime", Refusal(ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03 10:00:05,12.50,USD")));
        Assert.Contains("transactionType", Refusal(ReconciliationTests.Report("A1,,P1,payment;DROP,2026-12-03T10:00:05+00:00,12.50,USD")));
        Assert.Contains("transactionId: empty", Refusal(ReconciliationTests.Report(",,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD")));
        Assert.Contains("transactionRequestId", Refusal(ReconciliationTests.Report($"A1,,{new string('x', 65)},PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD")));
    }

    [Fact]
    public void Invalid_UTF8_is_refused()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD"));
        int at = Encoding.UTF8.GetString(bytes).IndexOf("P1,PAYMENT", StringComparison.Ordinal);
        bytes[at] = 0xC3; // a lead byte followed by an ASCII byte
        Assert.Contains("not UTF-8", Refusal(bytes));
        Assert.Contains("not UTF-8", Refusal([0xFF, 0xFE, (byte)'a']));
    }

    [Fact]
    public void A_huge_report_is_refused_before_it_is_read()
    {
        var text = new StringBuilder(ReconciliationTests.Report().Replace("<END>\n", ""));
        while (text.Length < 4096) text.Append(Row()).Append('\n');
        text.Append("<END>\n");
        string message = Refusal(Encoding.UTF8.GetBytes(text.ToString()), limit: 4096);
        Assert.Contains("more than the 4096 accepted", message);
    }

    [Fact]
    public void A_truncated_report_or_text_after_its_end_is_refused()
    {
        string whole = ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD");
        Assert.Contains("incomplete", Refusal(whole.Replace("<END>\n", "")));
        Assert.Contains("line 2: 7 fields", Refusal(whole[..whole.IndexOf(",12.50", StringComparison.Ordinal)])); // cut inside the last row
        Assert.Contains("after the <END> line", Refusal(whole + Row() + "\n"));
        Assert.Contains("not closed", Refusal(whole.Replace("Antom,A1", "\"Antom,A1")));
        Assert.Contains("quote inside an unquoted field", Refusal(whole.Replace("Antom,A1", "An\"tom,A1")));
    }

    [Fact]
    public void A_report_of_another_merchant_is_refused()
    {
        Assert.Contains("another merchant", Refusal(ReconciliationTests.Report().Replace("<END>", Row(merchant: "OTHER") + "\n<END>")));
        // Negative control: without an expected merchant the same report is read.
        Assert.Single(AntomTransactionReport.Parse(Encoding.UTF8.GetBytes(ReconciliationTests.Report().Replace("<END>", Row(merchant: "OTHER") + "\n<END>")), Limit));
    }

    [Theory]
    [InlineData("12.5", 2, 1250L)]
    [InlineData("12.50", 2, 1250L)]
    [InlineData("500", 0, 500L)]
    [InlineData("0.001", 3, 1L)]
    [InlineData("-5.00", 2, 500L)]
    [InlineData("999999999999999.99", 2, 99999999999999999L)]
    public void Major_units_become_minor_units(string text, int exponent, long minor) =>
        Assert.Equal(minor, AntomTransactionReport.MinorUnits(text, exponent));
}
