using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones the arguments select
// (e.g. `dotnet run -c Release --project Terminal.Benchmarks -- --filter *Json*`).
if (args.Length > 0 && args[0] == "qr-fit")
{
    Terminal.Benchmarks.Qr.QrFitReport.Print(); // not a timing: capacity figures for docs/benchmarks/qr.md
    return 0;
}

// `-- gateway [options]` runs the gateway latency harness instead (docs/benchmarks/gateway.md).
if (args.Length > 0 && args[0] == "gateway")
{
    return await Terminal.Benchmarks.Gateway.GatewayLatencyHarness.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
