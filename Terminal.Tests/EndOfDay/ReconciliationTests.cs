using System.Text;
using Terminal.Gateway.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// A day's gateway records against Antom's transaction details report, on real SQLite files and PostgreSQL: a clean
/// day has no mismatch, and every kind of seeded mismatch is found with its ids.
/// </summary>
public sealed class ReconciliationTests
{
    private const string Merchant = "MERCHANT0001";
    private static readonly DateOnly Day = new(2026, 12, 3);

    internal static string Report(params string[] rows) =>
        "customerId,PSP,transactionId,originalTransactionId,transactionRequestId,transactionType,transactionTime,transactionAmountValue,transactionCurrency\n" +
        string.Concat(rows.Select(r => Merchant + ",Antom," + r + "\n")) + "<END>\n";

    /// <summary>Paid, paid then voided, failed, closed unpaid by a cancel, and a partial refund.</summary>
    private static async Task SeedCleanDayAsync(DayRecords records)
    {
        await records.PaymentAsync("P1", "A1", "SUCCESS", 1250, "2026-12-03T10:00:00Z");
        await records.PaymentAsync("P2", "A2", "CANCELLED", 990, "2026-12-03T11:00:00Z");
        await records.PaymentAsync("P3", null, "FAIL", 800, "2026-12-03T11:30:00Z");
        await records.PaymentAsync("P4", "A4", "CANCELLED", 500, "2026-12-03T11:40:00Z");
        await records.RefundAsync("R1", "F1", "A1", "SUCCESS", 500, "2026-12-03T12:00:00Z");
    }

    private static readonly string CleanReport = Report(
        "A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD",
        "A2,,P2,PAYMENT,2026-12-03T11:00:04+00:00,9.90,USD",
        "A2,A2,P2,CANCEL,2026-12-03T11:01:00+00:00,9.90,USD",
        "F1,A1,R1,REFUND,2026-12-03T12:00:01+00:00,5.00,USD");

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_clean_day_has_no_mismatch(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, antomClientId: Merchant);
        await SeedCleanDayAsync(records);
        var report = await records.Queries.ReconcileAsync(Day, Encoding.UTF8.GetBytes(CleanReport));
        Assert.Empty(report.Mismatches);
        Assert.True(report.Clean);
        Assert.Equal((4, 4, 4, 1), (report.ReportRows, report.MatchedRows, report.GatewayPayments, report.GatewayRefunds));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Every_kind_of_mismatch_is_found_with_its_ids(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, antomClientId: Merchant);
        await records.PaymentAsync("P1", "A1", "SUCCESS", 1250, "2026-12-03T10:00:00Z");
        await records.PaymentAsync("P2", "A2", "CANCELLED", 990, "2026-12-03T11:00:00Z");
        await records.PaymentAsync("P5", "A5", "SUCCESS", 700, "2026-12-03T12:00:00Z");
        await records.PaymentAsync("P6", "A6", "SUCCESS", 300, "2026-12-03T13:00:00Z");
        await records.PaymentAsync("P7", null, "FAIL", 400, "2026-12-03T14:00:00Z");
        await records.PaymentAsync("P8", null, "PROCESSING", 450, "2026-12-03T15:00:00Z");
        await records.PaymentAsync("P10", "A10", "SUCCESS", 660, "2026-12-02T23:59:00Z", updatedAt: "2026-12-03T00:00:30Z");
        await records.PaymentAsync("P11", "A11", "SUCCESS", 880, "2026-12-03T23:59:50Z", updatedAt: "2026-12-04T00:00:10Z");
        await records.RefundAsync("R1", "F1", "A1", "SUCCESS", 500, "2026-12-03T16:00:00Z");
        await records.RefundAsync("R2", "F2", "A5", "SUCCESS", 100, "2026-12-03T16:10:00Z");
        await records.RefundAsync("R3", "F3", "A1", "SUCCESS", 50, "2026-12-03T16:20:00Z");
        await records.RefundAsync("R4", "F4", "A6", "PROCESSING", 60, "2026-12-03T16:30:00Z");

        string antom = Report(
            "A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.00,USD",     // amount differs
            "A1,,P1,PAYMENT,2026-12-03T10:00:05+00:00,12.00,USD",     // listed twice
            "A2,,P2,PAYMENT,2026-12-03T11:00:05+00:00,9.90,USD",      // voided at the gateway, no CANCEL at Antom
            "A5,,P5,PAYMENT,2026-12-03T12:00:05+00:00,7.00,EUR",      // currency differs
            "A99,,P99,PAYMENT,2026-12-03T12:30:00+00:00,1.00,USD",    // the gateway never saw it
            "A7,,P7,PAYMENT,2026-12-03T14:00:05+00:00,4.00,USD",      // FAIL at the gateway
            "A8,,P8,PAYMENT,2026-12-03T15:00:05+00:00,4.50,USD",      // still open at the gateway
            "A10,,P10,PAYMENT,2026-12-03T00:00:30+00:00,6.60,USD",    // created before midnight, paid after it
            "F2,A5,R2,REFUND,2026-12-03T16:10:01+00:00,2.00,USD",     // refund amount differs
            "F3,A6,R3,REFUND,2026-12-03T16:20:01+00:00,0.50,USD",     // refund of another payment
            "F4,A6,R4,REFUND,2026-12-03T16:30:01+00:00,0.60,USD",     // refund still open at the gateway
            "F9,A1,R9,REFUND,2026-12-03T17:00:00+00:00,1.00,USD",     // refund the gateway never saw
            "C1,A1,P1,CAPTURE,2026-12-03T17:10:00+00:00,1.00,USD");   // a type the gateway never makes
                                                                       // P6 (paid) and R1 (refunded) are missing at Antom
        var report = await records.Queries.ReconcileAsync(Day, Encoding.UTF8.GetBytes(antom));

        var found = report.Mismatches.Select(m => (m.Kind, m.TransactionType, m.RequestId)).ToList();
        Assert.Equal(
        [
            (MismatchKind.AmountDiffers, "PAYMENT", "P1"),
            (MismatchKind.DuplicateInReport, "PAYMENT", "P1"),
            (MismatchKind.CurrencyDiffers, "PAYMENT", "P5"),
            (MismatchKind.MissingInGateway, "PAYMENT", "P99"),
            (MismatchKind.StatusDiffers, "PAYMENT", "P7"),
            (MismatchKind.StatusDiffers, "PAYMENT", "P8"),
            (MismatchKind.OtherDay, "PAYMENT", "P10"),
            (MismatchKind.AmountDiffers, "REFUND", "R2"),
            (MismatchKind.IdDiffers, "REFUND", "R3"),
            (MismatchKind.StatusDiffers, "REFUND", "R4"),
            (MismatchKind.MissingInGateway, "REFUND", "R9"),
            (MismatchKind.MissingInGateway, "CAPTURE", "P1"),
            (MismatchKind.StatusDiffers, "CANCEL", "P2"),
            (MismatchKind.MissingInAntom, "PAYMENT", "P6"),
            (MismatchKind.MissingInAntom, "PAYMENT", "P11"),
            (MismatchKind.MissingInAntom, "REFUND", "R1"),
        ], found);

        var amount = report.Mismatches[0];
        Assert.Equal((1250L, 1200L, 2, "T0001", "S001"), (amount.GatewayAmountMinor!.Value, amount.AntomAmountMinor!.Value, amount.ReportLine!.Value, amount.DeviceId, amount.StoreId));
        Assert.Contains("still PROCESSING", report.Mismatches.Single(m => m.RequestId == "P8").Reason);
        Assert.Contains("2026-12-02", report.Mismatches.Single(m => m.RequestId == "P10").Reason);
        Assert.Contains("next day's report", report.Mismatches.Single(m => m.RequestId == "P11").Reason);
        Assert.DoesNotContain("next day", report.Mismatches.Single(m => m.RequestId == "P6").Reason);
        Assert.Equal("missing_in_antom", report.Mismatches.Single(m => m.RequestId == "P6").KindName);
        Assert.Equal(13, report.ReportRows);
        Assert.Equal(1, report.MatchedRows); // P2's PAYMENT row itself agrees; the missing CANCEL is the gateway's mismatch
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Rows_without_a_request_id_are_matched_by_Antoms_ids(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, antomClientId: Merchant);
        await SeedCleanDayAsync(records);
        string antom = Report(
            "A1,,,PAYMENT,2026-12-03T10:00:05+00:00,12.50,USD",
            "A2,,,PAYMENT,2026-12-03T11:00:04+00:00,9.90,USD",
            "A2,A2,,CANCEL,2026-12-03T11:01:00+00:00,9.90,USD",
            "F1,A1,,REFUND,2026-12-03T12:00:01+00:00,5.00,USD");
        Assert.Empty((await records.Queries.ReconcileAsync(Day, Encoding.UTF8.GetBytes(antom))).Mismatches);
    }

    [Fact]
    public async Task A_report_in_another_column_order_with_extra_columns_and_CRLF_is_read_the_same()
    {
        await using var records = await DayRecords.CreateAsync("sqlite", antomClientId: Merchant);
        await SeedCleanDayAsync(records);
        string antom =
            "\uFEFFtransactionType,transactionId,transactionRequestId,originalTransactionId,transactionAmountValue,transactionCurrency,transactionTime,customerId,remark\r\n" +
            "PAYMENT,A1,P1,,12.50,USD,2026-12-03T10:00:05+00:00," + Merchant + ",\"a, quoted \"\"remark\"\"\"\r\n" +
            "PAYMENT,A2,P2,,9.90,USD,2026-12-03T11:00:04+00:00," + Merchant + ",\r\n" +
            "CANCEL,A2,P2,A2,-9.90,USD,2026-12-03T11:01:00+00:00," + Merchant + ",\r\n" +
            "REFUND,F1,R1,A1,-5.00,USD,2026-12-03T12:00:01.123+00:00," + Merchant + ",\r\n" +
            "<END>\r\n";
        Assert.Empty((await records.Queries.ReconcileAsync(Day, Encoding.UTF8.GetBytes(antom))).Mismatches);
    }
}
