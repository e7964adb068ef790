using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones the arguments select
// (e.g. `dotnet run -c Release --project Terminal.Benchmarks -- --filter *Json*`).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
