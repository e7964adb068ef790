using System.Globalization;
using System.Text;
using Terminal.AntomEmulator;
using Terminal.Gateway.EndOfDay;
using Terminal.Simulator.Backend;

namespace Terminal.Simulator.Demo;

/// <summary>
/// The demo's close of day: what the tour did (kept as it goes), the gateway's day totals (the numbers the console's
/// End-of-day page shows), a check that the two agree, and the reconciliation of the gateway's records with the
/// emulator's transaction details report (docs/reconciliation.md).
/// </summary>
internal sealed class DemoEndOfDay
{
    private readonly EmbeddedBackend _backend;
    private readonly DateOnly _firstDay;
    private DayFigures _did = DayFigures.Zero;

    public DemoEndOfDay(EmbeddedBackend backend)
    {
        _backend = backend;
        _firstDay = backend.Gateway.EndOfDay.Today;
    }

    public void Sold(long minor) => _did = _did.Plus(new DayFigures(1, minor, 0, 0, 0, 0, 0, 0));

    /// <summary>A sale that was paid and then voided: no longer a sale, a void.</summary>
    public void Voided(long minor) => _did = _did.Plus(new DayFigures(-1, -minor, 1, minor, 0, 0, 0, 0));

    public void Refunded(long minor) => _did = _did.Plus(new DayFigures(0, 0, 0, 0, 1, minor, 0, 0));

    public void Failed() => _did = _did.Plus(new DayFigures(0, 0, 0, 0, 0, 0, 1, 0));

    /// <summary>Prints the totals and the reconciliation; returns the two checks as demo steps.</summary>
    public async Task<IReadOnlyList<DemoStep>> CloseAsync(Action<string> say)
    {
        var queries = _backend.Gateway.EndOfDay;
        var lastDay = queries.Today;
        var totals = await queries.TotalsAsync(new TotalsFilter(_firstDay, lastDay));
        foreach (var line in totals.Lines)
            say($"{BusinessCalendar.Format(line.Day)} ({totals.TimeZone})  store {line.StoreId}  device {line.DeviceId}  {line.Currency}: {Describe(line.Currency, line.Figures)}");
        var usd = totals.Of("USD");
        bool same = usd == _did && totals.Totals.Count == 1;
        say((same ? "✔" : "✘") + " the gateway's totals are what the demo did: " + Describe("USD", _did));

        int rows = 0, mismatches = 0;
        for (var day = _firstDay; day <= lastDay; day = day.AddDays(1))
        {
            string report = TransactionDetailsReport.Build(_backend.Emulator.Records, EmbeddedBackend.MerchantClientId, day, queries.Calendar.Zone);
            var result = await queries.ReconcileAsync(day, Encoding.UTF8.GetBytes(report));
            rows += result.ReportRows;
            mismatches += result.Mismatches.Count;
            foreach (var m in result.Mismatches) say($"  ✘ {m.KindName} {m.TransactionType} {m.RequestId}: {m.Reason}");
        }
        say($"{(mismatches == 0 ? "✔" : "✘")} reconciled with Antom's transaction details report (the emulator's {TransactionDetailsReport.FileName(lastDay)}): {rows} rows, {mismatches} mismatch(es)");
        return
        [
            new DemoStep("Day totals match the demo", "end of day", "TOTALS MATCH", same ? "TOTALS MATCH" : "TOTALS DIFFER"),
            new DemoStep("Reconciled with Antom's report", "end of day", "RECONCILED CLEAN", mismatches == 0 ? "RECONCILED CLEAN" : $"RECONCILED {mismatches}"),
        ];
    }

    private static string Describe(string currency, DayFigures f) =>
        $"sales {f.SalesCount} = {Major(currency, f.SalesMinor)}, voids {f.VoidsCount} = {Major(currency, f.VoidsMinor)}, " +
        $"refunds {f.RefundsCount} = {Major(currency, f.RefundsMinor)}, net {Major(currency, f.NetMinor)}, failed {f.FailedCount}, open {f.OpenCount}";

    private static string Major(string currency, long minor)
    {
        int exponent = Math.Max(0, Terminal.Core.Money.Currency.Exponent(currency));
        decimal value = minor;
        for (int i = 0; i < exponent; i++) value /= 10m;
        return value.ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
