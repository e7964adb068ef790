using Microsoft.AspNetCore.Http;

namespace Terminal.AntomEmulator;

/// <summary>
/// Checks a request's Client-Id, Request-Time and RSA256 Signature headers (names are case-insensitive) against
/// the registered merchant keys. Failures become result codes, never exceptions.
/// </summary>
internal sealed class RequestAuthenticator
{
    private readonly ClientRegistry _clients;
    private readonly EmulatorClock _clock;
    private readonly TimeSpan? _maxSkew;

    public RequestAuthenticator(ClientRegistry clients, EmulatorClock clock, TimeSpan? maxSkew)
    {
        _clients = clients;
        _clock = clock;
        _maxSkew = maxSkew;
    }

    public readonly record struct Outcome(bool Ok, string ResultCode, string Message)
    {
        public static readonly Outcome Accepted = new(true, ResultCodes.Success, "success");

        public static Outcome Fail(string code, string message) => new(false, code, message);
    }

    /// <param name="path">The request target exactly as received (it is part of the signed content).</param>
    /// <param name="headers">Request headers (case-insensitive lookup).</param>
    /// <param name="body">The raw body bytes.</param>
    public Outcome Authenticate(string path, IHeaderDictionary headers, byte[] body)
    {
        string clientId = headers["Client-Id"].ToString();
        if (clientId.Length == 0)
        {
            return Outcome.Fail(ResultCodes.ParamIllegal, "header Client-Id is required");
        }

        string requestTime = headers["Request-Time"].ToString();
        if (requestTime.Length == 0)
        {
            return Outcome.Fail(ResultCodes.ParamIllegal, "header Request-Time is required");
        }

        if (!TimeHeader.TryParse(requestTime, out DateTimeOffset sentAt))
        {
            return Outcome.Fail(ResultCodes.ParamIllegal, "header Request-Time must be epoch milliseconds or ISO 8601 with a zone");
        }

        string signatureHeader = headers["Signature"].ToString();
        if (signatureHeader.Length == 0)
        {
            return Outcome.Fail(ResultCodes.ParamIllegal, "header Signature is required");
        }

        if (!SignatureHeader.TryParse(signatureHeader, out var signature, out string error))
        {
            return Outcome.Fail(ResultCodes.InvalidSignature, error);
        }

        if (!signature.Algorithm.Equals("RSA256", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Fail(ResultCodes.InvalidSignature, $"Signature algorithm '{signature.Algorithm}' is not RSA256");
        }

        switch (_clients.Find(clientId, signature.KeyVersion, out RsaPool? key))
        {
            case ClientRegistry.Lookup.UnknownClient:
                return Outcome.Fail(ResultCodes.UnknownClient, $"client {clientId} is not registered");
            case ClientRegistry.Lookup.KeyNotFound:
                return Outcome.Fail(ResultCodes.KeyNotFound, $"client {clientId} has no key version {signature.KeyVersion}");
        }

        byte[] content = ContentToSign.Build(path, clientId, requestTime, body);
        if (!key!.Verify(content, signature.Signature))
        {
            return Outcome.Fail(ResultCodes.InvalidSignature, "signature does not verify over POST <path>\\n<Client-Id>.<Request-Time>.<body>");
        }

        if (_maxSkew is TimeSpan maxSkew && (sentAt - _clock.GetUtcNow()).Duration() > maxSkew)
        {
            return Outcome.Fail(ResultCodes.ParamIllegal, $"header Request-Time is more than {maxSkew.TotalSeconds:F0} s away from the server clock");
        }

        return Outcome.Accepted;
    }
}
