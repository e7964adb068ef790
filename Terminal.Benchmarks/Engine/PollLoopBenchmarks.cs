using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace Terminal.Benchmarks.Engine;

/// <summary>
/// One payment's polling: 1,000 inquiries (build, sign, exchange in memory, verify, parse, classify).
/// The engine's loop against the ordinary .NET reference. Run:
/// dotnet run -c Release --project Terminal.Benchmarks -- --filter *PollLoop*
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class PollLoopBenchmarks
{
    private const int Iterations = 1000;
    private PollLoopRig _engine = null!;
    private PollLoopRig _engineDotnetMac = null!;
    private ReferencePoll _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new PollLoopRig(Iterations);
        _engineDotnetMac = new PollLoopRig(Iterations, dotnetMac: true);
        _reference = new ReferencePoll(Iterations);
        if (_engine.Run() != 1 || _engineDotnetMac.Run() != 1 || _reference.Run() != 1)
        {
            throw new InvalidOperationException("the loops did not end paid");
        }

        Console.WriteLine("// engine poll loop: " + _engine.AllocatedBytesPerIteration() + " bytes allocated per iteration (portable HMAC), "
            + _engineDotnetMac.AllocatedBytesPerIteration() + " (.NET HMAC), GC.GetAllocatedBytesForCurrentThread over " + Iterations + " iterations");
    }

    [Benchmark(Baseline = true, Description = "reference (System.Text.Json, HMACSHA256, strings)")]
    public int Reference() => _reference.Run();

    [Benchmark(Description = "engine PollPayment, portable HMAC (device)")]
    public int Engine() => _engine.Run();

    [Benchmark(Description = "engine PollPayment, .NET HMAC (PC binding)")]
    public int EngineDotnetMac() => _engineDotnetMac.Run();
}
