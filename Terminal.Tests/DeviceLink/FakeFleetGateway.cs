using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Core.Ports;
using Terminal.Gateway.Fleet;

namespace Terminal.Tests.DeviceLink;

/// <summary>How the fake gateway misbehaves on a heartbeat.</summary>
public enum BeatFault
{
    None,
    ConnectFailed,
    Unsigned,
    SignedWithRequestKey,
    SignedWithRelayAnswerKey,
    OldBeat,
    Refused,
}

/// <summary>
/// The gateway's heartbeat path in memory: checks the request's MAC with the heartbeat's request key (derived with
/// .NET's HKDF from the label written out here), reads the body with the gateway's own parser
/// (<see cref="HeartbeatReport.Parse"/>, independent of the firmware's writer), and answers with the beat's id, signed
/// with the heartbeat's answer key. Tests add settings or resolutions to the answer, or a fault.
/// </summary>
internal sealed class FakeFleetGateway : IHttpExchange
{
    public const string RequestLabel = "qr-terminal-hs256/heartbeat/device-to-gateway";
    public const string AnswerLabel = "qr-terminal-hs256/heartbeat/gateway-to-device";

    private readonly byte[] _requestKey;
    private readonly byte[] _answerKey;
    private readonly byte[] _relayAnswerKey;
    private readonly string _clientId;
    private readonly Lock _gate = new();
    private string? _previousBeat;

    public FakeFleetGateway(byte[] deviceKey, string clientId)
    {
        _requestKey = RelayKeys.Derive(deviceKey, RequestLabel);
        _answerKey = RelayKeys.Derive(deviceKey, AnswerLabel);
        _relayAnswerKey = RelayKeys.Answer(deviceKey);
        _clientId = clientId;
    }

    public BeatFault Fault { get; set; }

    /// <summary>Members added to the next answers (settings, resolutions).</summary>
    public Func<HeartbeatReport, JsonObject?>? Extra { get; set; }

    /// <summary>Raw JSON members added to the answers as written (duplicate keys, malformed values).</summary>
    public string? RawMembers { get; set; }

    public List<HeartbeatReport> Reports { get; } = new();

    public List<int> BodyLengths { get; } = new();

    public int BadSignatures { get; private set; }

    public int Count
    {
        get { lock (_gate) return Reports.Count; }
    }

    public HeartbeatReport Last
    {
        get { lock (_gate) return Reports[^1]; }
    }

    public HttpExchangeStatus Send(HttpExchange ex, int timeoutMs)
    {
        ex.ClearResponse();
        if (Fault == BeatFault.ConnectFailed) return HttpExchangeStatus.ConnectFailed;
        byte[] body = ex.RequestBuffer.AsSpan(ex.RequestBodyOffset, ex.RequestBodyLength).ToArray();
        string time = Encoding.ASCII.GetString(ex.RequestTime, 0, ex.RequestTimeLength);
        string header = Encoding.ASCII.GetString(ex.Signature, 0, ex.SignatureLength);
        byte[] mac = Convert.FromBase64String(Uri.UnescapeDataString(header[(header.IndexOf("signature=", StringComparison.Ordinal) + 10)..]));
        byte[] content = Encoding.ASCII.GetBytes($"POST {ex.Path}\n{ex.ClientId}.{time}.").Concat(body).ToArray();
        JsonObject answer;
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_requestKey, content)))
        {
            lock (_gate) BadSignatures++;
            answer = new JsonObject { ["result"] = Result("F", "INVALID_SIGNATURE") };
        }
        else
        {
            HeartbeatReport report = HeartbeatReport.Parse(body);
            lock (_gate)
            {
                Reports.Add(report);
                BodyLengths.Add(body.Length);
            }

            string beat = Fault == BeatFault.OldBeat && _previousBeat != null ? _previousBeat : report.Beat;
            _previousBeat = report.Beat;
            answer = new JsonObject
            {
                ["result"] = Fault == BeatFault.Refused ? Result("F", "ACCESS_DENIED") : Result("S", "SUCCESS"),
                ["beat"] = beat,
            };
            if (Extra?.Invoke(report) is JsonObject extra)
            {
                foreach (var (name, value) in extra) answer[name] = value?.DeepClone();
            }
        }

        string text = answer.ToJsonString();
        if (RawMembers != null && answer.ContainsKey("beat"))
        {
            text = text[..^1] + "," + RawMembers + "}";
        }

        byte[] response = Encoding.UTF8.GetBytes(text);
        string responseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] key = Fault == BeatFault.SignedWithRequestKey ? _requestKey : Fault == BeatFault.SignedWithRelayAnswerKey ? _relayAnswerKey : _answerKey;
        byte[] signed = Encoding.ASCII.GetBytes($"POST {ex.Path}\n{_clientId}.{responseTime}.").Concat(response).ToArray();
        string signature = "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        ex.StatusCode = 200;
        ex.ResponseTimeLength = Encoding.ASCII.GetBytes(responseTime, 0, responseTime.Length, ex.ResponseTime, 0);
        if (Fault != BeatFault.Unsigned)
        {
            ex.ResponseSignatureLength = Encoding.ASCII.GetBytes(signature, 0, signature.Length, ex.ResponseSignature, 0);
        }

        response.CopyTo(ex.ResponseBuffer, ex.ResponseBodyOffset);
        ex.ResponseBodyLength = response.Length;
        return HttpExchangeStatus.Completed;
    }

    private static JsonObject Result(string status, string code) =>
        new() { ["resultCode"] = code, ["resultStatus"] = status, ["resultMessage"] = code.ToLowerInvariant() };
}

/// <summary>Sends the terminal API's paths (/terminal/v1/...) to one exchange and the Antom relay's to another.</summary>
internal sealed class RoutedExchange(IHttpExchange relay, IHttpExchange terminalApi) : IHttpExchange
{
    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs) =>
        exchange.Path.StartsWith("/terminal/v1/", StringComparison.Ordinal) ? terminalApi.Send(exchange, timeoutMs) : relay.Send(exchange, timeoutMs);
}
