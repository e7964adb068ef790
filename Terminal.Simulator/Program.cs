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
    public static async Task<int> Main(string[] args)
    {
        // The firmware's threads block on HTTP (sync over async, as on the device) while the embedded gateway and
        // emulator serve those requests in this process: keep enough pool threads ready that neither waits for the other.
        ThreadPool.SetMinThreads(Math.Max(32, Environment.ProcessorCount * 4), Math.Max(32, Environment.ProcessorCount * 4));
        return await CommandLine.InvokeAsync(args, System.Console.Out, System.Console.Error, RunAsync);
    }

    private static async Task<int> RunAsync(CommandLine cl)
    {
        try
        {
            switch (cl.Command)
            {
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
