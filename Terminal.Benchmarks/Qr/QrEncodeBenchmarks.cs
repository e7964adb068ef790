using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using QRCoder;
using Terminal.Drivers.Qr;

namespace Terminal.Benchmarks.Qr;

/// <summary>
/// Encode time and allocation, ours against QRCoder 1.8.1 in the same run, level M, automatic mask on both.
/// Ours reuses one encoder built for version 40 (its buffers are allocated once, outside the loop);
/// "cold" builds an encoder sized for the payload each time, as a caller that keeps none would.
/// QRCoder gets the string (its usual entry point, with its own segmentation) and a reused generator.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class QrEncodeBenchmarks
{
    private readonly QrEncoder _encoder = new QrEncoder(40);
    private readonly QRCodeGenerator _qrCoder = new QRCodeGenerator();
    private string _url = "";
    private byte[] _bytes = [];
    private int _version;

    [Params(20, 59, 150, 300)]
    public int UrlBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _url = AntomUrls.Make(UrlBytes, seed: UrlBytes);
        _bytes = Encoding.ASCII.GetBytes(_url);
        _version = _encoder.Encode(_bytes, 0, _bytes.Length, QrErrorCorrection.Medium, 1, 40, -1, false).Version;
    }

    [Benchmark(Baseline = true)]
    public int QRCoder() => _qrCoder.CreateQrCode(_url, QRCodeGenerator.ECCLevel.M).Version;

    [Benchmark]
    public int Ours() => _encoder.Encode(_bytes, 0, _bytes.Length, QrErrorCorrection.Medium, 1, 40, -1, false).Version;

    [Benchmark]
    public int OursCold() => new QrEncoder(_version).Encode(_bytes, 0, _bytes.Length, QrErrorCorrection.Medium, 1, _version, -1, false).Version;
}
