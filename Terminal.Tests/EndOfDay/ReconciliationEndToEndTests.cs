using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// The whole chain: a terminal sells, voids and refunds through the gateway against the Antom emulator; the emulator's
/// transaction details report, posted to the gateway's admin API, reconciles clean, and one with a row taken out does not.
/// The day's totals on the admin API are the numbers of what the terminal did.
/// </summary>
public sealed class ReconciliationEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<HttpResponseMessage> AdminAsync(EndToEndRig rig, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(rig.Gateway.AdminBaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "text/csv");
        return await rig.Http.SendAsync(request);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_emulators_report_reconciles_clean_and_the_totals_are_what_the_terminal_did(string provider)
    {
        await using var rig = await EndToEndRig.StartAsync(provider);
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var wallet = rig.Emulator.Wallet;
        Assert.Equal(FinalStatus.Success, (await terminal.SaleAsync(TransactionKind.SalePaymentCode, 1250, "E-1", wallet.IssuePaymentCode()).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await terminal.SaleAsync(TransactionKind.SalePaymentCode, 990, "E-2", wallet.IssuePaymentCode()).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Failed, (await terminal.SaleAsync(TransactionKind.SalePaymentCode, 800, "E-3", wallet.IssuePaymentCode(PaymentCodeOutcome.Decline())).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await Task.Run(() => terminal.Engine.Void("E-2")).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await Task.Run(() => terminal.Engine.Refund("E-1", 500)).WaitAsync(Patience)).Status);

        var day = DateOnly.FromDateTime(rig.Emulator.Clock.GetUtcNow().UtcDateTime);
        string date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string report = TransactionDetailsReport.Build(rig.Emulator.Records, EndToEndRig.MerchantClientId, day, TimeZoneInfo.Utc);
        Assert.Equal(4 + 2, report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header, PAYMENT x2, CANCEL, REFUND, <END>

        using var clean = await AdminAsync(rig, HttpMethod.Post, $"/admin/end-of-day/{date}/reconciliation", report);
        var cleanJson = JsonNode.Parse(await clean.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.True((bool)cleanJson["clean"]!, cleanJson.ToJsonString());
        Assert.Equal((4, 4, 3, 1), ((int)cleanJson["reportRows"]!, (int)cleanJson["matchedRows"]!, (int)cleanJson["gatewayPayments"]!, (int)cleanJson["gatewayRefunds"]!));

        // Negative control: the same report without its REFUND row is not clean, and says which refund is missing.
        string withoutRefund = string.Join('\n', report.Split('\n').Where(l => !l.Contains(",REFUND,", StringComparison.Ordinal)));
        using var tampered = await AdminAsync(rig, HttpMethod.Post, $"/admin/end-of-day/{date}/reconciliation", withoutRefund);
        var mismatch = Assert.Single(JsonNode.Parse(await tampered.Content.ReadAsStringAsync())!["mismatches"]!.AsArray())!;
        Assert.Equal(("missing_in_antom", "REFUND", "500"), ((string?)mismatch["kind"], (string?)mismatch["transactionType"], (string?)mismatch["gatewayAmountMinor"]));

        using var refused = await AdminAsync(rig, HttpMethod.Post, $"/admin/end-of-day/{date}/reconciliation", report.Replace("<END>", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("incomplete", await refused.Content.ReadAsStringAsync());

        using var totals = await AdminAsync(rig, HttpMethod.Get, $"/admin/end-of-day/{date}/totals");
        var usd = JsonNode.Parse(await totals.Content.ReadAsStringAsync())!["totals"]!.AsArray().Single()!;
        Assert.Equal(("USD", 1L, "1250", 1L, "990", 1L, "500", "750", 1L, 0L),
            ((string?)usd["currency"], (long)usd["salesCount"]!, (string?)usd["salesMinor"], (long)usd["voidsCount"]!, (string?)usd["voidsMinor"],
             (long)usd["refundsCount"]!, (string?)usd["refundsMinor"], (string?)usd["netMinor"], (long)usd["failedCount"]!, (long)usd["openCount"]!));

        using var csv = await AdminAsync(rig, HttpMethod.Get, $"/admin/end-of-day/{date}/totals.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        string[] lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{date},UTC,S001,T0001,USD,1,1250,1,990,1,500,750,1,0", lines[1]);

        using var badDay = await AdminAsync(rig, HttpMethod.Get, "/admin/end-of-day/2026-13-01/totals");
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
    }
}
