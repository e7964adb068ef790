using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Terminal.Core.Crypto;

namespace Terminal.Benchmarks.Primitives;

/// <summary>
/// SHA-256 and HMAC-SHA256 over 800 bytes (about the content-to-sign of a pay request: method, path,
/// client id, time and body) against .NET's one-shot span APIs, which call the OS crypto library.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CryptoBenchmarks
{
    private readonly byte[] _message = new byte[800];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _output = new byte[32];
    private readonly Sha256 _sha = new();
    private HmacSha256 _hmac = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        new Random(7).NextBytes(_key);
        _hmac = new HmacSha256(_key);
    }

    [BenchmarkCategory("SHA-256")]
    [Benchmark(Baseline = true, Description = "SHA256.HashData 800 B")]
    public byte DotnetSha256()
    {
        SHA256.HashData(_message, _output);
        return _output[0];
    }

    [BenchmarkCategory("SHA-256")]
    [Benchmark(Description = "Sha256 800 B")]
    public byte OurSha256()
    {
        _sha.Update(_message, 0, _message.Length);
        _sha.Final(_output, 0);
        return _output[0];
    }

    [BenchmarkCategory("HMAC")]
    [Benchmark(Baseline = true, Description = "HMACSHA256.HashData 800 B")]
    public byte DotnetHmac()
    {
        HMACSHA256.HashData(_key, _message, _output);
        return _output[0];
    }

    [BenchmarkCategory("HMAC")]
    [Benchmark(Description = "HmacSha256 800 B")]
    public byte OurHmac()
    {
        _hmac.Update(_message, 0, _message.Length);
        _hmac.Final(_output, 0);
        return _output[0];
    }
}
