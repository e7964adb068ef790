using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Terminal.Firmware.HostLink;

namespace Terminal.Benchmarks.HostLink;

/// <summary>
/// Parsing one request line, valid (a SALE) and rejected (bad checksum), against a string-based reference
/// (decode, Split, long.Parse) that checks the same things.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class HostLinkParserBenchmarks
{
    private static readonly byte[] Sale = Encoding.ASCII.GetBytes("12 SALE 1250 USD CPM A-1001*F6");
    private static readonly byte[] BadChecksum = Encoding.ASCII.GetBytes("12 SALE 1250 USD CPM A-1001*F7");

    private readonly HostLinkRequestParser _parser = new();
    private readonly HostLinkRequest _request = new();

    [Benchmark]
    public HostLinkError ParserSale() => _parser.Parse(Sale, Sale.Length, _request);

    [Benchmark]
    public HostLinkError ParserBadChecksum() => _parser.Parse(BadChecksum, BadChecksum.Length, _request);

    [Benchmark(Baseline = true)]
    public bool StringsSale() => ParseWithStrings(Sale);

    [Benchmark]
    public bool StringsBadChecksum() => ParseWithStrings(BadChecksum);

    private static bool ParseWithStrings(byte[] line)
    {
        string text = Encoding.ASCII.GetString(line);
        int mark = text.LastIndexOf('*');
        if (mark < 0 || int.Parse(text[(mark + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != HostLinkChecksum.Compute(text[..mark]))
        {
            return false;
        }

        string[] tokens = text[..mark].Split(' ');
        return tokens.Length == 6 && int.TryParse(tokens[0], out _) && tokens[1] == "SALE"
            && long.TryParse(tokens[2], out long amount) && amount > 0 && tokens[3].Length == 3
            && (tokens[4] == "MPM" || tokens[4] == "CPM") && tokens[5].Length <= 64;
    }
}
