using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Terminal.Drivers.Scanner;

namespace Terminal.Benchmarks.Scanner;

/// <summary>
/// One triggered read (the 7-byte ACK, an 18-digit payment code, CR) through the framer, against the
/// obvious PC-style reference: append bytes to a List, cut at CR, decode to a string, drop a leading ACK.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class CodeFramerBenchmarks
{
    private static readonly byte[] Stream =
        new byte[] { 0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31 }.Concat(Encoding.ASCII.GetBytes("281012345678901234\r")).ToArray();

    private readonly CodeFramer _framer = new(new ScannerSettings { DuplicateWindowMs = 0 }) { SuffixRequired = true };
    private long _now;

    [Benchmark]
    public int Framer()
    {
        int length = 0;
        _now += 1000;
        foreach (byte b in Stream)
        {
            if (_framer.Feed(b, _now) == ScanOutcome.Code)
            {
                length = _framer.CodeLength;
            }
        }

        return length;
    }

    [Benchmark(Baseline = true)]
    public int ListAndString()
    {
        var pending = new List<byte>();
        string? code = null;
        foreach (byte b in Stream)
        {
            if (b == 0x0D)
            {
                string text = Encoding.ASCII.GetString(pending.ToArray());
                code = text.StartsWith("\u0002\u0000", StringComparison.Ordinal) ? text[7..] : text;
                pending.Clear();
            }
            else
            {
                pending.Add(b);
            }
        }

        return code?.Length ?? 0;
    }
}
