using System.Globalization;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway day totals|reconcile</c>: end of day straight on the database, with the same configuration as
/// the server (docs/reconciliation.md). Output is the admin API's JSON (or its CSV with <c>--csv</c>) on stdout.
/// </summary>
public static class DayCommand
{
    public const string Usage =
        "usage: Terminal.Gateway day totals [<yyyy-MM-dd>] [--to <yyyy-MM-dd>] [--store <referenceStoreId>] [--device <deviceId>] [--csv]\n" +
        "       Terminal.Gateway day reconcile <yyyy-MM-dd> <Antom transaction details report .csv>\n" +
        "days are in Gateway:EndOfDay:TimeZone; totals default to today. reconcile exits 0 when the day is clean, 1 when it lists mismatches\n" +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    /// <summary>Runs the command; returns the exit code (0 ok / clean, 1 mismatches found, 2 usage, configuration or unreadable report).</summary>
    public static async Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (arguments.Length == 0 || arguments[0] is not ("totals" or "reconcile")) return await Fail(stderr, Usage);
        GatewaySettings settings;
        try
        {
            settings = GatewaySettings.ResolveStorageOnly(options);
        }
        catch (GatewayConfigurationException e)
        {
            return await Fail(stderr, e.Message);
        }
        using (settings)
        {
            await using var database = new GatewayDatabase(settings.DatabaseProvider, settings.ConnectionString, options.Database.SqliteSynchronous, new DatabasePool(MaxPoolSize: 2, ApplicationName: "gateway day"));
            await Migrator.MigrateAsync(database, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            var queries = EndOfDayQueries.For(database, options, settings.Clock);
            string[] rest = arguments[1..];
            return arguments[0] == "totals" ? await TotalsAsync(rest, queries, stdout, stderr) : await ReconcileAsync(rest, queries, stdout, stderr);
        }
    }

    private static async Task<int> TotalsAsync(string[] args, EndOfDayQueries queries, TextWriter stdout, TextWriter stderr)
    {
        string? day = null, to = null, store = null, device = null;
        bool csv = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--csv") { csv = true; continue; }
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (day != null) return await Fail(stderr, Usage);
                day = a;
                continue;
            }
            if (i + 1 >= args.Length) return await Fail(stderr, $"{a}: value missing");
            string value = args[++i];
            switch (a)
            {
                case "--to": to = value; break;
                case "--store": store = value; break;
                case "--device": device = value; break;
                default: return await Fail(stderr, $"{a}: unknown option");
            }
        }
        var filter = EndOfDayApi.Filter(day ?? BusinessCalendar.Format(queries.Today), to, store, device, out string? problem);
        if (filter == null) return await Fail(stderr, problem!);
        var report = await queries.TotalsAsync(filter);
        if (csv) EndOfDayQueries.WriteCsv(report, stdout);
        else await stdout.WriteLineAsync(AntomJson.Serialize(EndOfDayApi.TotalsJson(report)));
        return 0;
    }

    private static async Task<int> ReconcileAsync(string[] args, EndOfDayQueries queries, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2) return await Fail(stderr, Usage);
        var day = BusinessCalendar.ParseDay(args[0]);
        if (day == null) return await Fail(stderr, "day: a date as yyyy-MM-dd");
        byte[] bytes;
        try
        {
            var info = new FileInfo(args[1]);
            if (!info.Exists) return await Fail(stderr, $"{args[1]}: no such file");
            if (info.Length > queries.Options.MaxReportBytes)
                return await Fail(stderr, $"report refused: {args[1]} is {info.Length} bytes, more than the {queries.Options.MaxReportBytes} accepted (Gateway:EndOfDay:MaxReportBytes)");
            bytes = await File.ReadAllBytesAsync(args[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await Fail(stderr, $"{args[1]}: {e.Message}");
        }
        try
        {
            var report = await queries.ReconcileAsync(day.Value, bytes);
            await stdout.WriteLineAsync(AntomJson.Serialize(EndOfDayApi.ReconciliationJson(report)));
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{BusinessCalendar.Format(day.Value)}: {report.ReportRows} report rows, {report.GatewayPayments} payments and {report.GatewayRefunds} refunds at the gateway, {report.Mismatches.Count} mismatch(es)"));
            return report.Clean ? 0 : 1;
        }
        catch (AntomReportException e)
        {
            return await Fail(stderr, "report refused: " + e.Message);
        }
    }

    private static async Task<int> Fail(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync(message);
        return 2;
    }
}
