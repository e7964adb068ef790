using System.Security.Cryptography;
using System.Text;
using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>
/// An in-memory <see cref="IHttpExchange"/> that answers each path with preset bodies, correctly signed as the gateway
/// signs them (HS256 with the Antom relay's answer key derived from the device key, Response-Time fixed). Everything is computed when an answer is added, so
/// <see cref="Send"/> allocates nothing: for allocation benchmarks, offline demos and smoke tests.
/// </summary>
public sealed class CannedExchange : IHttpExchange
{
    private readonly byte[] _key;
    private readonly string _clientId;
    private readonly Dictionary<string, Script> _scripts = new(StringComparer.Ordinal);

    public CannedExchange(byte[] key, string clientId)
    {
        // The answer key (docs/gateway.md, "Signing keys"): HKDF-Expand of the device key, RFC 5869.
        _key = HKDF.Expand(HashAlgorithmName.SHA256, key, 32, Encoding.ASCII.GetBytes(Terminal.Payments.Antom.SignatureKeys.AntomRelayAnswer));
        _clientId = clientId;
    }

    /// <summary>Number of exchanges so far.</summary>
    public int Calls { get; private set; }

    /// <summary>
    /// Adds an answer for <paramref name="path"/>, given <paramref name="times"/> times in a row after the ones
    /// added before; the last answer of a path repeats forever.
    /// </summary>
    public void Add(string path, string body, int times = 1, long responseTime = 1_700_000_000_000)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        string time = responseTime.ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] content = Encoding.ASCII.GetBytes("POST " + path + "\n" + _clientId + "." + time + ".").Concat(bodyBytes).ToArray();
        string signature = "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(_key, content)));
        if (!_scripts.TryGetValue(path, out Script? script))
        {
            script = new Script();
            _scripts[path] = script;
        }

        script.Answers.Add(new Answer(bodyBytes, Encoding.ASCII.GetBytes(time), Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(_clientId), times));
    }

    /// <summary>Starts every path's answers from the first again.</summary>
    public void Rewind()
    {
        foreach (Script script in _scripts.Values)
        {
            script.Index = 0;
            script.Given = 0;
        }

        Calls = 0;
    }

    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        Calls++;
        exchange.ClearResponse();
        if (!_scripts.TryGetValue(exchange.Path, out Script? script) || script.Answers.Count == 0)
        {
            exchange.StatusCode = 404;
            return HttpExchangeStatus.Completed;
        }

        Answer answer = script.Answers[script.Index];
        if (++script.Given >= answer.Times && script.Index < script.Answers.Count - 1)
        {
            script.Index++;
            script.Given = 0;
        }

        if (answer.Body.Length > exchange.ResponseBodyCapacity)
        {
            return HttpExchangeStatus.ResponseTooLarge;
        }

        exchange.StatusCode = 200;
        Array.Copy(answer.Body, 0, exchange.ResponseBuffer, exchange.ResponseBodyOffset, answer.Body.Length);
        exchange.ResponseBodyLength = answer.Body.Length;
        Array.Copy(answer.Time, exchange.ResponseTime, answer.Time.Length);
        exchange.ResponseTimeLength = answer.Time.Length;
        Array.Copy(answer.Signature, exchange.ResponseSignature, answer.Signature.Length);
        exchange.ResponseSignatureLength = answer.Signature.Length;
        Array.Copy(answer.ClientId, exchange.ResponseClientId, answer.ClientId.Length);
        exchange.ResponseClientIdLength = answer.ClientId.Length;
        return HttpExchangeStatus.Completed;
    }

    private sealed record Answer(byte[] Body, byte[] Time, byte[] Signature, byte[] ClientId, int Times);

    private sealed class Script
    {
        public List<Answer> Answers { get; } = new();

        public int Index { get; set; }

        public int Given { get; set; }
    }
}
