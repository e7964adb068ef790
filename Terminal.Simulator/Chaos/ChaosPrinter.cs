namespace Terminal.Simulator.Chaos;

/// <summary>The chaos run's table and summary.</summary>
public static class ChaosPrinter
{
    public static void Print(TextWriter o, ChaosReport report, bool everyRow)
    {
        o.WriteLine();
        o.WriteLine(everyRow ? "Every sale: the terminal's final status against the emulator's record" : "Sales that did not match (all others matched):");
        o.WriteLine($"  {"#",5} {"reference",-12} {"scenario",-20} {"terminal",-22} {"reason",-28} {"Antom",-10} {"refunds/void",-22} verdict");
        foreach (ChaosRow row in report.Rows.Where(r => everyRow || !r.Ok))
        {
            ChaosSale s = row.Sale;
            string follow = string.Join(",", s.Refunds.Select(r => $"{(r.FromMenu ? "M" : "R")}{r.AmountMinor}:{Short(r.Terminal)}{(r.Resolution != null ? ">" + Short(r.Resolution) : "")}{(r.PowerCut ? "*" : "")}"))
                + (s.Void == null ? "" : $"V:{Short(s.Void.Terminal)}{(s.Void.Resolution != null ? ">" + Short(s.Void.Resolution) : "")}");
            o.WriteLine($"  {s.Number,5} {s.Reference,-12} {s.Scenario + (s.PowerCut ? "*" : ""),-20} {Status(s),-22} {Cut(s.ReasonCode, 28),-28} {row.Emulator,-10} {follow,-22} {row.Verdict}");
            if (s.Note != null)
            {
                o.WriteLine($"  {"",5} note: {s.Note}");
            }
        }

        o.WriteLine();
        o.WriteLine("Terminal status (rows) against the emulator's payment status (columns):");
        string[] columns = ["SUCCESS", "FAIL", "CANCELLED", "PROCESSING", "none"];
        o.WriteLine($"  {"",-14}" + string.Concat(columns.Select(c => $"{c,11}")) + $"{"total",8}");
        foreach (var group in report.Rows.GroupBy(r => r.Sale.Terminal).OrderBy(g => g.Key))
        {
            o.WriteLine($"  {group.Key,-14}" + string.Concat(columns.Select(c => $"{group.Count(r => r.Emulator == c),11}")) + $"{group.Count(),8}");
        }

        o.WriteLine();
        o.WriteLine("Scenarios (count, mean time from SALE to RESULT): " + string.Join(", ", report.Rows.GroupBy(r => r.Sale.Scenario).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()} ({g.Average(r => r.Sale.Duration.TotalMilliseconds):0} ms)")));
        o.WriteLine($"Power cuts: {report.Rows.Count(r => r.Sale.PowerCut)} in sales, {report.Rows.Sum(r => r.Sale.Refunds.Count(f => f.PowerCut))} in menu refunds, "
            + $"{report.OutlivedCuts} cut firmware instances still calling a port after the next boot; "
            + $"refunds: {report.Refunds} ({report.Rows.Sum(r => r.Sale.Refunds.Count(f => f.FromMenu))} from the keypad's menu); voids: {report.Voids}.");
        o.WriteLine($"Network: {report.NetworkDropsBefore} exchanges lost before they left, {report.NetworkDropsAfter} answers lost after the gateway acted.");
        if (report.Fleet is { } fleet)
        {
            o.WriteLine($"Fleet link: {fleet.Heartbeats} heartbeats recorded by the gateway; remote settings: "
                + (fleet.Changes.Count == 0 ? "none" : string.Join("; ", fleet.Changes.Select(c => $"v{c.Version} {c.Scope} {c.Values}: terminal {c.Terminal}, gateway {c.Gateway}"))) + ".");
            o.WriteLine($"Resolutions: {fleet.ResolvedOnTerminal} transactions left for review reached their final status on the terminal through the heartbeat "
                + $"({fleet.ResolvedAtGateway} resolved by the gateway's job), {fleet.Exceptions} in the gateway's exception list"
                + (fleet.ForcedReview is { } f ? $"; forced review {f.Reference}: paid afterwards, {f.Resolution ?? "unresolved"} {f.ResolutionCode}, LAST {f.LastAfterResolution}." : "."));
        }

        o.WriteLine("Faults injected on the gateway's Antom requests: " + (report.FaultsApplied.Count == 0 ? "none"
            : string.Join(", ", report.FaultsApplied.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}")) + $" (total {report.FaultsApplied.Values.Sum()} of {report.UpstreamRequests} requests, {report.FaultsApplied.Values.Sum() / (double)Math.Max(1, report.UpstreamRequests):P1})"));
        foreach (string problem in report.Problems)
        {
            o.WriteLine("  ! " + problem);
        }

        o.WriteLine();
        o.WriteLine($"{report.Rows.Count} sales in {report.Duration.TotalSeconds:0.0} s ({report.SalesPerSecond:0.0} sales/s): "
            + $"{report.Mismatches} mismatches, {report.Unfinished} unfinished, {report.UnaccountedCharges} unaccounted charges, {report.NeedsReview} needing review.");
        o.WriteLine(report.Passed ? "PASSED: every sale's final status matches the emulator's record." : "FAILED: see the rows and problems above.");
    }

    private static string Status(ChaosSale s) => s.Resolution != null ? s.Terminal + ">" + s.Resolution : s.Exception != null ? s.Terminal + " (exc.)" : s.Terminal;

    private static string Short(string status) => status switch
    {
        "SUCCESS" => "ok",
        "NEEDS_REVIEW" => "review",
        _ => status.ToLowerInvariant(),
    };

    private static string Cut(string? text, int width) => text == null ? "-" : text.Length <= width ? text : text[..(width - 1)] + "…";
}
