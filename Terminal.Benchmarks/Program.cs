using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones the arguments select
// (e.g. `dotnet run -c Release --project Terminal.Benchmarks -- --filter *Json*`).
if (args.Length > 0 && args[0] == "qr-fit")
{
    Terminal.Benchmarks.Qr.QrFitReport.Print(); // not a timing: capacity figures for docs/benchmarks/qr.md
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
