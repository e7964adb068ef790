using System.CommandLine;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway day totals|reconcile</c>: end of day straight on the database, with the same configuration as
/// the server (docs/reconciliation.md). Output is the admin API's JSON (or its CSV with <c>--csv</c>) on stdout.
/// Days are in Gateway:EndOfDay:TimeZone.
/// </summary>
public static class DayCommand
{
    /// <summary>Runs <c>day args...</c> in-process; returns the exit code (0 ok / clean, 1 mismatches found, 2 usage, configuration or unreadable report).</summary>
    public static Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("day", arguments, CliContext.With(options, TextReader.Null, stdout, stderr));

    internal static Command Create(CliContext context) => new("day", "End of day: totals, and reconciliation with Antom's report")
    {
        Totals(context),
        Reconcile(context),
    };

    private static Command Totals(CliContext context)
    {
        var day = new Argument<string?>("day") { Description = "the first day, yyyy-MM-dd (default: today)", Arity = ArgumentArity.ZeroOrOne };
        var to = CliOptions.Text("--to", "the last day, yyyy-MM-dd (default: the first)", "yyyy-MM-dd");
        var store = CliOptions.Text("--store", "only this store", "referenceStoreId");
        var device = CliOptions.Text("--device", "only this device", "deviceId");
        var csv = new Option<bool>("--csv") { Description = "CSV instead of JSON" };
        var totals = new Command("totals", "Sales, refunds and net per store, device and currency") { day, to, store, device, csv };
        totals.SetAction((r, _) => RunAsync(context, async queries =>
        {
            var filter = EndOfDayApi.Filter(r.GetValue(day) ?? BusinessCalendar.Format(queries.Today), r.GetValue(to), r.GetValue(store), r.GetValue(device), out string? problem);
            if (filter == null) return await context.FailAsync(problem!, 2);
            var export = queries.Export(filter);
            using var bytes = new MemoryStream();
            var output = PipeWriter.Create(bytes, new StreamPipeWriterOptions(leaveOpen: true));
            if (r.GetValue(csv)) await export.WriteCsvAsync(output);
            else await export.WriteJsonAsync(output);
            await output.CompleteAsync();
            await context.Out.WriteAsync(Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length));
            if (!r.GetValue(csv)) await context.Out.WriteLineAsync();
            return 0;
        }));
        return totals;
    }

    private static Command Reconcile(CliContext context)
    {
        var day = new Argument<string>("day") { Description = "the day, yyyy-MM-dd" };
        var file = new Argument<string>("report") { Description = "Antom's transaction details report (.csv) for that day" };
        var reconcile = new Command("reconcile", "Compare a day with Antom's report; exits 0 when clean, 1 when it lists mismatches") { day, file };
        reconcile.SetAction((r, _) => RunAsync(context, queries => ReconcileAsync(context, queries, r.GetRequiredValue(day), r.GetRequiredValue(file))));
        return reconcile;
    }

    private static async Task<int> ReconcileAsync(CliContext context, EndOfDayQueries queries, string dayText, string path)
    {
        var day = BusinessCalendar.ParseDay(dayText);
        if (day == null) return await context.FailAsync("day: a date as yyyy-MM-dd", 2);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return await context.FailAsync($"{path}: no such file", 2);
            if (info.Length > queries.Options.MaxReportBytes)
                return await context.FailAsync($"report refused: {path} is {info.Length} bytes, more than the {queries.Options.MaxReportBytes} accepted (Gateway:EndOfDay:MaxReportBytes)", 2);
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await context.FailAsync($"{path}: {e.Message}", 2);
        }
        try
        {
            var report = await queries.ReconcileAsync(day.Value, bytes);
            await context.Out.WriteLineAsync(AntomJson.Serialize(EndOfDayApi.ReconciliationJson(report)));
            await context.Err.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{BusinessCalendar.Format(day.Value)}: {report.ReportRows} report rows, {report.GatewayPayments} payments and {report.GatewayRefunds} refunds at the gateway, {report.Mismatches.Count} mismatch(es)"));
            return report.Clean ? 0 : 1;
        }
        catch (AntomReportException e)
        {
            return await context.FailAsync("report refused: " + e.Message, 2);
        }
    }

    private static async Task<int> RunAsync(CliContext context, Func<EndOfDayQueries, Task<int>> command)
    {
        GatewayOptions options = context.Options();
        await using var storage = await CliStorage.OpenAsync(options, "day", context.Err);
        if (storage == null) return 2;
        return await command(EndOfDayQueries.For(storage.Database, options, storage.Settings.Clock));
    }
}
