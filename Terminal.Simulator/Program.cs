using Terminal.Firmware.App;
using Terminal.Firmware.Diagnostics;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Demo;
using Terminal.Simulator.Figures;
using Terminal.Simulator.Rendering;
using Terminal.Simulator.Ui;
using Terminal.Simulator.Updates;

namespace Terminal.Simulator;

/// <summary>
/// <c>dotnet run --project Terminal.Simulator [-- command] [options]</c>: the terminal firmware on a PC
/// (docs/simulator.md).
/// </summary>
internal static class Program
{
    private const string Usage = """
        Terminal simulator: the real terminal firmware on this PC, with a virtual OLED, scanner and register,
        against an embedded Antom emulator and merchant gateway.

        usage: dotnet run --project Terminal.Simulator [-- <command>] [options]

        commands:
          (none)        interactive terminal (type help at the prompt)
          demo          scripted tour of every flow, headless, about half a minute
          chaos <N>     N sales through injected faults, checked against the emulator's records;
                        with --vending pulse: N coin-op vends with faults and power cuts, checked for double credits;
                        with --vending mdb: N MDB vends with faults, jams, impatient machines and power cuts, checked
                        for double approvals and refunds
          selftest      the firmware self-test; exit code 1 on any failure
          ota-chaos     an update rollout under faults: power cuts mid-download, mid-write and at the switch, a
                        pause, an abort, a bad version rolled back; sales throughout, checked (about a minute)
          vending-figures [N]  N MDB vends (default 50): answer time, the terminal's share, bridge bytes
          help          this text

        options:
          --data <dir>            data folder (default: data)
          --device-id <id>        device id (default SIM0001)
          --gateway-url <url>     use this gateway instead of the embedded one (with --key-file)
          --key-file <file>       the device key the gateway issued (base64), for --gateway-url
          --key-version <n>       its version (default 1)
          --ca-file <pem>         the remote gateway's CA certificate (default: system trust store)
          --scanner-port <port>   a real GM65 scanner on a serial port (e.g. /dev/ttyUSB0, COM5), 9600 baud
          --hostlink-port <port>  a real register on a serial port (115200 baud; --hostlink-baud to change)
          --codes <file>          scanner input from a file: the next line each time the terminal waits for a code
          --oled full|compact     OLED drawing: 128 columns (half blocks) or 64 (quadrants); default: by width
          --display <controller>  ssd1306 or sh1106 (128x64 OLED), st7789 (240x320) or ili9341 (320x240 colour TFT);
                                  default: terminal.json's (ssd1306)
          --log                   firmware log on the console too (always in <data>/terminal.log)
          --backend-log           the embedded gateway's and Antom emulator's logs on the console
          --vending pulse|mdb     the terminal inside a simulated coin-op machine (credit pulses) or an MDB vending
                                  machine (its controller and the bridge); docs/vending.md
          --faults <rate>         chaos: share of Antom requests that get a fault (default 0.2)
          --drops <rate>          chaos: share of the terminal's exchanges with the gateway lost on the network (default 0.05)
          --seed <n>              chaos: random seed (default 1)
          --table                 chaos: print every sale's line, not only the summary and mismatches
        """;

    public static async Task<int> Main(string[] args)
    {
        // The firmware's threads block on HTTP (sync over async, as on the device) while the embedded gateway and
        // emulator serve those requests in this process: keep enough pool threads ready that neither waits for the other.
        ThreadPool.SetMinThreads(Math.Max(32, Environment.ProcessorCount * 4), Math.Max(32, Environment.ProcessorCount * 4));
        CommandLine cl;
        try
        {
            cl = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            System.Console.Error.WriteLine("error: " + e.Message);
            System.Console.Error.WriteLine("run with -- help for the options");
            return 2;
        }

        try
        {
            switch (cl.Command)
            {
                case "help":
                    System.Console.WriteLine(Usage);
                    return 0;
                case "selftest":
                    return RunSelfTest();
                case "demo":
                    return await DemoTour.RunAsync(System.Console.Out, TempFolder("demo"), cl.Style ?? PictureStyle.Full);
                case "chaos" when cl.Vending == "pulse":
                    return await VendingChaosRun.RunAsync(System.Console.Out, cl.ChaosOptions(TempFolder("chaos")));
                case "chaos" when cl.Vending == "mdb":
                    return await MdbChaosRun.RunAsync(System.Console.Out, cl.ChaosOptions(TempFolder("chaos")));
                case "chaos":
                    return await ChaosRun.RunAsync(System.Console.Out, cl.ChaosOptions(TempFolder("chaos")));
                case "ota-chaos":
                    return await OtaChaosRun.RunAsync(System.Console.Out, TempFolder("ota-chaos"));
                case "vending-figures":
                    return await VendingFigures.RunAsync(System.Console.Out, TempFolder("vending"), cl.FigureVends);
                default:
                    return await RunInteractiveAsync(cl);
            }
        }
        catch (SimulatorStartException e)
        {
            System.Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private static int RunSelfTest()
    {
        SelfTestReport report = SelfTest.RunAll(line => System.Console.WriteLine(line));
        return report.Failed == 0 ? 0 : 1;
    }

    private static async Task<int> RunInteractiveAsync(CommandLine cl)
    {
        var output = new Output(System.Console.Out);
        SessionOptions options = cl.SessionOptions() with { MachineEvents = what => output.Background("  " + what) };
        System.Console.OutputEncoding = System.Text.Encoding.UTF8;
        System.Console.WriteLine($"Terminal simulator, firmware {TerminalApp.Version}. Starting the payment world...");
        Session session;
        try
        {
            session = await Session.StartAsync(options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
                                      or System.Net.Http.HttpRequestException or Terminal.Core.Config.ConfigException)
        {
            throw new SimulatorStartException(StartProblem(e, options));
        }

        await using (session)
        {
            if (session.Backend != null)
            {
                System.Console.WriteLine($"  Antom emulator  {session.Backend.Emulator.BaseUri}  (the simulated customer's wallet)");
                System.Console.WriteLine($"  Gateway         {session.Backend.Gateway.BaseUri}  (device {options.DeviceId} registered)");
                System.Console.WriteLine($"  Console         {session.Backend.ConsoleUri}  (sign in as {Terminal.Simulator.Backend.EmbeddedBackend.ConsoleUser}, password " +
                    (session.Backend.ConsolePassword ?? "as you last set it") + ")");
            }
            else
            {
                System.Console.WriteLine($"  Gateway         {options.GatewayUrl}  (remote; device {options.DeviceId})");
            }

            System.Console.WriteLine($"  Configuration   {session.ConfigPath}");
            System.Console.WriteLine($"  Data folder     {Path.GetFullPath(options.DataFolder)} (the terminal's flash, log, keys, databases)");
            return new Interactive(session, output, System.Console.In, cl.Style ?? OledPicture.StyleForConsole()).Run();
        }
    }

    private static string StartProblem(Exception e, SessionOptions options)
    {
        if (options.ScannerPort != null && e is IOException or UnauthorizedAccessException && e.Message.Contains(options.ScannerPort, StringComparison.Ordinal))
        {
            return $"cannot open the scanner port {options.ScannerPort}: {e.Message}. Check the name (ls /dev/ttyUSB* or the Device Manager) and that you may use it (Linux: the dialout group).";
        }

        if (options.HostLinkPort != null && e is IOException or UnauthorizedAccessException && e.Message.Contains(options.HostLinkPort, StringComparison.Ordinal))
        {
            return $"cannot open the host-link port {options.HostLinkPort}: {e.Message}. Check the name and permissions.";
        }

        if (e is Terminal.Core.Config.ConfigException)
        {
            return $"terminal.json is not valid: {e.Message}. Delete {Path.Combine(options.DataFolder, "terminal.json")} and start again to provision afresh.";
        }

        return e.Message + (options.Remote ? "" : $" If the data folder {options.DataFolder} is from an older version, move it away and start again.");
    }

    private static string TempFolder(string what) =>
        Directory.CreateTempSubdirectory("terminal-simulator-" + what + "-").FullName;
}

/// <summary>The simulator could not start; the message says why and what to do.</summary>
internal sealed class SimulatorStartException(string message) : Exception(message);
