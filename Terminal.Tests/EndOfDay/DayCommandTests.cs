using System.Text.Json.Nodes;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>`day totals|reconcile` against the database the server uses, with its exit codes.</summary>
public sealed class DayCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(DayRecords records, params string[] args)
    {
        var options = new GatewayOptions
        {
            KeyEncryptionKey = TestKeys.KeyEncryptionKey,
            Database = records.Options,
            EndOfDay = new EndOfDayOptions { TimeZone = "Asia/Singapore" },
        };
        options.Antom.ClientId = "MERCHANT0001";
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await DayCommand.RunAsync(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Totals_as_JSON_and_CSV_and_reconcile_with_exit_codes()
    {
        await using var records = await DayRecords.CreateAsync("sqlite");
        await records.PaymentAsync("P1", "A1", "SUCCESS", 1250, "2026-12-03T10:00:00+08:00");
        await records.RefundAsync("R1", "F1", "A1", "SUCCESS", 500, "2026-12-03T12:00:00+08:00");

        var json = await Run(records, "totals", "2026-12-03");
        Assert.Equal(0, json.Code);
        var usd = JsonNode.Parse(json.Out)!["totals"]!.AsArray().Single()!;
        Assert.Equal(("1250", "500", "750"), ((string?)usd["salesMinor"], (string?)usd["refundsMinor"], (string?)usd["netMinor"]));

        var csv = await Run(records, "totals", "2026-12-03", "--csv");
        Assert.Equal("2026-12-03,Asia/Singapore,S001,T0001,USD,1,1250,0,0,1,500,750,0,0", csv.Out.Split("\r\n")[1]);

        string folder = Directory.CreateTempSubdirectory("day-cli-").FullName;
        try
        {
            string clean = Path.Combine(folder, "clean.csv");
            await File.WriteAllTextAsync(clean, ReconciliationTests.Report(
                "A1,,P1,PAYMENT,2026-12-03T10:00:05+08:00,12.50,USD", "F1,A1,R1,REFUND,2026-12-03T12:00:05+08:00,5.00,USD"));
            Assert.Equal(0, (await Run(records, "reconcile", "2026-12-03", clean)).Code);

            string missing = Path.Combine(folder, "missing.csv");
            await File.WriteAllTextAsync(missing, ReconciliationTests.Report("A1,,P1,PAYMENT,2026-12-03T10:00:05+08:00,12.50,USD"));
            var mismatched = await Run(records, "reconcile", "2026-12-03", missing);
            Assert.Equal(1, mismatched.Code);
            Assert.Equal("missing_in_antom", (string?)JsonNode.Parse(mismatched.Out)!["mismatches"]![0]!["kind"]);

            string broken = Path.Combine(folder, "broken.csv");
            await File.WriteAllBytesAsync(broken, [0x61, 0x2C, 0xFF, 0x0A]);
            var refused = await Run(records, "reconcile", "2026-12-03", broken);
            Assert.Equal(2, refused.Code);
            Assert.Contains("report refused", refused.Err);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal(2, (await Run(records, "totals", "2026-02-30")).Code);
        Assert.Equal(2, (await Run(records, "reconcile", "2026-12-03")).Code);
        Assert.Equal(2, (await Run(records, "tally")).Code);
    }
}
