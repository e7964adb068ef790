using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Terminal.AntomEmulator;

namespace Terminal.Benchmarks.AntomEmulator;

/// <summary>
/// Where the emulator's per-request CPU goes: signing an answer (content to sign, RSA-2048 SHA-256 PKCS#1 v1.5,
/// base64, escaping) and checking a request, against the bare RSA operation as the reference.
/// Run: dotnet run -c Release --project Terminal.Benchmarks -- --filter *EmulatorSigning*
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class EmulatorSigningBenchmarks
{
    private const string Path = "/ams/api/v1/payments/inquiryPayment";
    private const string ClientId = "BENCH_CLIENT";
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success.\"},\"paymentId\":\"20260101194010800100" +
        "1E0000000000001\",\"paymentRequestId\":\"PR-1\",\"paymentStatus\":\"SUCCESS\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"}}");

    private RSA _key = null!;
    private AntomSigner _signer = null!;
    private RequestAuthenticator _authenticator = null!;
    private HeaderDictionary _headers = null!;
    private byte[] _content = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = RSA.Create(2048);
        _signer = new AntomSigner(_key, 1);
        var clients = new ClientRegistry();
        clients.Register(ClientId, _key.ExportSubjectPublicKeyInfo(), 1);
        _authenticator = new RequestAuthenticator(clients, new EmulatorClock(), null);
        _content = ContentToSign.Build(Path, ClientId, "1767225600000", _body);
        _headers = new HeaderDictionary
        {
            ["Client-Id"] = ClientId,
            ["Request-Time"] = "1767225600000",
            ["Signature"] = _signer.SignatureHeader(Path, ClientId, "1767225600000", _body),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer.Dispose();
        _key.Dispose();
    }

    [Benchmark(Baseline = true, Description = "RSA.SignData alone (reference)")]
    public byte[] RsaSign() => _key.SignData(_content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "AntomSigner.SignatureHeader (answer signature)")]
    public string SignAnswer() => _signer.SignatureHeader(Path, ClientId, "1767225600000", _body);

    [Benchmark(Description = "RequestAuthenticator.Authenticate (request check)")]
    public bool CheckRequest() => _authenticator.Authenticate(Path, _headers, _body).Ok;
}
