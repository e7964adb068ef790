using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones the arguments select
// (e.g. `dotnet run -c Release --project Terminal.Benchmarks -- --filter *Json*`).
// `-- gateway [options]` runs the gateway latency harness instead (docs/benchmarks/gateway.md).
if (args.Length > 0 && args[0] == "gateway")
{
    return await Terminal.Benchmarks.Gateway.GatewayLatencyHarness.RunAsync(args[1..]);
}

// `-- emulator-throughput` runs the Antom emulator load harness instead (a server throughput figure, not a micro-benchmark).
if (args.Length > 0 && args[0] == "emulator-throughput")
{
    return await Terminal.Benchmarks.AntomEmulator.EmulatorThroughput.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
