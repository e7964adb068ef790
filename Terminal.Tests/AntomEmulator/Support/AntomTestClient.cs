using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Terminal.Tests.AntomEmulator;

/// <summary>How one request is signed; the defaults are what the Java SDK sends.</summary>
internal sealed record SignOptions
{
    public TimeStyle TimeStyle { get; init; } = TimeStyle.EpochMilliseconds;

    public string? TimeText { get; init; }

    public bool LowerCaseEscapes { get; init; }

    public bool RawBase64 { get; init; }

    public int? KeyVersion { get; init; } = 1;

    public string Algorithm { get; init; } = "RSA256";

    public byte[]? Key { get; init; }

    public string ClientIdHeader { get; init; } = "Client-Id";

    public string RequestTimeHeader { get; init; } = "Request-Time";

    public string SignatureHeader { get; init; } = "Signature";

    public bool OmitSignature { get; init; }

    /// <summary>Sign this path instead of the one sent (signature mismatch tests).</summary>
    public string? SignedPath { get; init; }

    /// <summary>Sign these bytes instead of the body sent.</summary>
    public string? SignedBody { get; init; }

    public string? ClientId { get; init; }
}

/// <summary>An answer with the test's own signature verdict.</summary>
internal sealed record AntomReply(int Status, string Body, JsonElement? Json, string? ResponseTime, string? ClientId, string? Signature, bool SignatureValid)
{
    public string? ResultCode => Get("result.resultCode");

    public string? ResultStatus => Get("result.resultStatus");

    public string? ResultMessage => Get("result.resultMessage");

    /// <summary>A string at a dotted path ("orderCodeForm.codeDetails.0.codeValue"), or null.</summary>
    public string? Get(string path)
    {
        if (Json is not JsonElement element)
        {
            return null;
        }

        foreach (string part in path.Split('.'))
        {
            if (element.ValueKind == JsonValueKind.Array && int.TryParse(part, out int index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }

    public override string ToString() => $"HTTP {Status} {Body}";
}

/// <summary>
/// An HTTPS client for the emulator that trusts only the CA the emulator exported (chain built against it in a
/// custom validation callback) and signs with the test's own signer.
/// </summary>
internal sealed class AntomTestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly byte[] _antomPublicKey;

    public AntomTestClient(Uri baseUri, string? caPem, byte[] antomPublicKey, string clientId, byte[] merchantKey, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler();
        if (caPem != null)
        {
            var authority = X509Certificate2.CreateFromPem(caPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authority, certificate, errors);
        }

        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _antomPublicKey = antomPublicKey;
        ClientId = clientId;
        MerchantKey = merchantKey;
    }

    public string ClientId { get; }

    public byte[] MerchantKey { get; }

    public bool Sandbox { get; set; }

    public string PathOf(string api) => (Sandbox ? "/ams/sandbox/api/v1/payments/" : "/ams/api/v1/payments/") + api;

    public static bool TrustedBy(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public Task<AntomReply> PostAsync(string api, JsonObject body, SignOptions? sign = null, CancellationToken cancellationToken = default) =>
        PostRawAsync(PathOf(api), body.ToJsonString(), sign, cancellationToken);

    public async Task<AntomReply> PostRawAsync(string path, string body, SignOptions? sign = null, CancellationToken cancellationToken = default,
        HttpMethod? method = null, string contentType = "application/json; charset=UTF-8")
    {
        sign ??= new SignOptions();
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string clientId = sign.ClientId ?? ClientId;
        string time = sign.TimeText ?? TestSigner.Time(sign.TimeStyle, DateTimeOffset.UtcNow);
        byte[] signature = TestSigner.Sign(sign.Key ?? MerchantKey,
            TestSigner.Content(sign.SignedPath ?? path, clientId, time, sign.SignedBody != null ? Encoding.UTF8.GetBytes(sign.SignedBody) : bytes));
        string encoded = sign.RawBase64 ? Convert.ToBase64String(signature) : TestSigner.Encode(signature, sign.LowerCaseEscapes);
        string header = "algorithm=" + sign.Algorithm + (sign.KeyVersion is int v ? ",keyVersion=" + v : string.Empty) + ",signature=" + encoded;

        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation(sign.ClientIdHeader, clientId);
        request.Headers.TryAddWithoutValidation(sign.RequestTimeHeader, time);
        if (!sign.OmitSignature)
        {
            request.Headers.TryAddWithoutValidation(sign.SignatureHeader, header);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        byte[] raw = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Reply(path, response, raw);
    }

    public void Dispose() => _http.Dispose();

    private AntomReply Reply(string path, HttpResponseMessage response, byte[] raw)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.First() : null;
        string? responseTime = Header("Response-Time");
        string? clientId = Header("Client-Id");
        string? signature = Header("Signature");
        bool valid = responseTime != null && clientId != null &&
            TestSigner.Verify(_antomPublicKey, TestSigner.Content(path, clientId, responseTime, raw), signature);
        JsonElement? json = null;
        try
        {
            using var document = JsonDocument.Parse(raw);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        return new AntomReply((int)response.StatusCode, Encoding.UTF8.GetString(raw), json, responseTime, clientId, signature, valid);
    }
}
