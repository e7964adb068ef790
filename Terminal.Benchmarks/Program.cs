using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones the arguments select
// (e.g. `dotnet run -c Release --project Terminal.Benchmarks -- --filter *Json*`).
// Figures that are not micro-benchmarks have their own switch:
//   qr-fit               capacity of the 128x64 OLED per module scale (docs/benchmarks/qr.md)
//   tft-traffic          SPI traffic and heap of the colour TFT refreshes (docs/benchmarks/tft.md)
//   emulator-throughput  the Antom emulator's signed request rate on loopback (docs/benchmarks/antom-emulator.md)
//   gateway [options]    the gateway's added latency and throughput (docs/benchmarks/gateway.md)
//   gateway-growth [--transactions N]  database growth per 10,000 device requests (docs/benchmarks/gateway.md)
//   customer-page [--requests N]       the customer's result page against /healthz (docs/benchmarks/customer-page.md)
//   console [--devices N] [--payments N] [--requests N] [--postgres CS] [--db FILE] [--only TEXT]  the console's pages and day totals at scale (docs/benchmarks/console.md)
//   end-of-day [--transactions N] [--postgres "connection string"]  day totals and reconciliation (docs/benchmarks/end-of-day.md)
if (args.Length > 0 && args[0] == "qr-fit")
{
    Terminal.Benchmarks.Qr.QrFitReport.Print();
    return 0;
}

if (args.Length > 0 && args[0] == "tft-traffic")
{
    Terminal.Benchmarks.Display.TftTrafficReport.Print();
    return 0;
}

if (args.Length > 0 && args[0] == "emulator-throughput")
{
    return await Terminal.Benchmarks.AntomEmulator.EmulatorThroughput.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "gateway")
{
    return await Terminal.Benchmarks.Gateway.GatewayLatencyHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "gateway-growth")
{
    return await Terminal.Benchmarks.Gateway.GatewayGrowthHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "customer-page")
{
    return await Terminal.Benchmarks.Gateway.CustomerPageHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "console")
{
    return await Terminal.Benchmarks.OperationsConsole.ConsoleHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "end-of-day")
{
    return await Terminal.Benchmarks.Gateway.EndOfDayHarness.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
