using System.Globalization;
using Terminal.AntomEmulator;
using Terminal.SimulatedDevices.Mdb;
using Terminal.Simulator.Backend;
using Terminal.Vending.Config;

namespace Terminal.Simulator.Figures;

/// <summary>
/// <c>vending-figures [N]</c> (docs/benchmarks/vending.md): N MDB vends paid with a customer-presented code that
/// the wallet approves at once, the code held in front of the scanner before the customer chooses (no waiting for
/// a person). For each: the time from the machine's VEND REQUEST to its VEND APPROVED on the machine's clock (then, for
/// codes the wallet declines, to its VEND DENIED), the
/// part of it spent inside HTTPS exchanges (the gateway and the Antom emulator on loopback: the reference), and the
/// rest, the terminal's own work (bridge lines, desk, engine, journal writes, scanner, screen); bytes per vend on the
/// bridge line.
/// </summary>
public static class VendingFigures
{
    public static async Task<int> RunAsync(TextWriter output, string dataFolder, int vends)
    {
        await using Session session = await Session.StartAsync(new SessionOptions
        {
            DataFolder = dataFolder, Persistent = false, Timings = TerminalTimings.Demo, Vending = VendingSection.Mdb,
        });
        session.Terminal.Config.Vending.SaleMode = VendingSection.Cpm;
        session.Terminal.Boot();
        VmcSimulator vmc = session.Terminal.Machine!.Controller!;
        vmc.PollIntervalMs = 5; // so that the machine's polling adds little to what is measured
        QibixxBridgeModel bridge = session.Terminal.Machine.Bridge!;
        if (vmc.WaitFor("BEGIN SESSION", 0, 30000) < 0)
        {
            output.WriteLine("no MDB session opened");
            return 1;
        }

        var totals = new List<double>();
        var https = new List<double>();
        long bytesBefore = 0;
        for (int i = 0; i <= vends; i++)
        {
            int mark = vmc.EventCount;
            double httpBefore = session.Terminal.Http.ElapsedMs;
            if (i == 1)
            {
                bytesBefore = bridge.HostBytesIn + bridge.HostBytesOut;
            }

            session.Terminal.Scanner!.Present(session.Wallet!.IssuePaymentCode(PaymentCodeOutcome.Success));
            vmc.Select(10 + (i % 5), 150);
            if (vmc.WaitFor("VEND APPROVED", mark, 30000) < 0 || vmc.WaitFor("BEGIN SESSION", mark, 30000) < 0)
            {
                output.WriteLine($"vend {i} not approved: " + string.Join(" | ", vmc.EventsSince(mark).Select(e => e.What)));
                return 1;
            }

            (long At, string What)[] events = vmc.EventsSince(mark);
            double total = events.First(e => e.What.StartsWith("VEND APPROVED", StringComparison.Ordinal)).At - events.First(e => e.What.StartsWith("VEND REQUEST", StringComparison.Ordinal)).At;
            if (i > 0)
            {
                // The first vend warms the JIT and the TLS sessions; it is not counted.
                totals.Add(total);
                https.Add(session.Terminal.Http.ElapsedMs - httpBefore);
            }
        }

        long bytes = bridge.HostBytesIn + bridge.HostBytesOut - bytesBefore;

        // Declined codes: the time to VEND DENIED (the wallet refuses at once; the terminal's answer follows the result).
        var denials = new List<double>();
        var denialHttps = new List<double>();
        int declined = Math.Max(5, vends / 5);
        for (int i = 0; i < declined; i++)
        {
            int mark = vmc.EventCount;
            double httpBefore = session.Terminal.Http.ElapsedMs;
            session.Terminal.Scanner!.Present(session.Wallet!.IssuePaymentCode(PaymentCodeOutcome.Decline()));
            vmc.Select(30 + (i % 5), 150);
            if (vmc.WaitFor("VEND DENIED", mark, 30000) < 0 || vmc.WaitFor("BEGIN SESSION", mark, 30000) < 0)
            {
                output.WriteLine($"declined vend {i} not denied: " + string.Join(" | ", vmc.EventsSince(mark).Select(e => e.What)));
                return 1;
            }

            (long At, string What)[] events = vmc.EventsSince(mark);
            denials.Add(events.First(e => e.What.StartsWith("VEND DENIED", StringComparison.Ordinal)).At - events.First(e => e.What.StartsWith("VEND REQUEST", StringComparison.Ordinal)).At);
            denialHttps.Add(session.Terminal.Http.ElapsedMs - httpBefore);
        }

        double[] deniedOwn = denials.Zip(denialHttps, (t, h) => t - h).ToArray();
        double[] own = totals.Zip(https, (t, h) => t - h).ToArray();
        output.WriteLine($"{vends} MDB vends, CPM code approved at once, after one warm-up vend");
        output.WriteLine($"VEND REQUEST -> VEND APPROVED  median {Median(totals):0} ms   p90 {Percentile(totals, 0.9):0} ms   (machine clock, 1 ms steps; it polls every {vmc.PollIntervalMs} ms)");
        output.WriteLine($"inside HTTPS exchanges        median {Median(https):0} ms   (pay and any inquiry: gateway + emulator on loopback)");
        output.WriteLine($"terminal's own work           median {Median(own):0} ms   share of the total {Median(own) / Median(totals):P0}");
        output.WriteLine($"VEND REQUEST -> VEND DENIED    median {Median(denials):0} ms   p90 {Percentile(denials, 0.9):0} ms   ({declined} codes the wallet declines)");
        output.WriteLine($"  inside HTTPS exchanges      median {Median(denialHttps):0} ms   terminal's own work median {Median(deniedOwn):0} ms, share {Median(deniedOwn) / Median(denials):P0}");
        output.WriteLine($"bridge line                   {bytes / (double)vends:0} bytes per approved vend (both directions)");
        output.WriteLine($"bridge refused                {bridge.ProtocolErrors} command(s)");
        return bridge.ProtocolErrors == 0 ? 0 : 1;
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double p)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
