using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Terminal.Payments.Engine;

namespace Terminal.Benchmarks.Engine;

/// <summary>
/// The reference: the same inquiry loop written the ordinary .NET way (Utf8JsonWriter, HMACSHA256 with strings
/// for the header, JsonDocument), over the same canned answers. Measures what the byte-buffer engine saves.
/// </summary>
public sealed class ReferencePoll
{
    private const string Path = "/ams/api/v1/payments/inquiryPayment";
    private readonly byte[] _processing = Encoding.UTF8.GetBytes(PollLoopRig.Body("PROCESSING"));
    private readonly byte[] _success = Encoding.UTF8.GetBytes(PollLoopRig.Body("SUCCESS"));
    private readonly string _time = "1700000000000";
    private readonly string _processingSignature;
    private readonly string _successSignature;

    public ReferencePoll(int iterations)
    {
        Iterations = iterations;
        _processingSignature = Sign(_time, _processing);
        _successSignature = Sign(_time, _success);
    }

    public int Iterations { get; }

    public int Run()
    {
        long now = 1_700_000_000_000;
        for (int i = 0; i < Iterations; i++)
        {
            // Request: serialize, sign.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("paymentRequestId", PollLoopRig.RequestId);
                writer.WriteEndObject();
            }

            string header = Sign(now.ToString(System.Globalization.CultureInfo.InvariantCulture), buffer.WrittenSpan.ToArray());

            // Response: verify the signature, parse, decide.
            bool last = i == Iterations - 1;
            byte[] body = last ? _success : _processing;
            if (Sign(_time, body) != (last ? _successSignature : _processingSignature) || header.Length == 0)
            {
                return -1;
            }

            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            string? status = root.GetProperty("result").GetProperty("resultStatus").GetString();
            string? paymentStatus = root.GetProperty("paymentStatus").GetString();
            string? id = root.GetProperty("paymentRequestId").GetString();
            if (status == "S" && id == PollLoopRig.RequestId && string.Equals(paymentStatus, "SUCCESS", StringComparison.OrdinalIgnoreCase))
            {
                return 1;
            }

            now += 2000;
        }

        return 0;
    }

    /// <summary>The Antom relay's request key, derived once from the device key (docs/gateway.md, "Signing keys").</summary>
    private static readonly byte[] RequestKey = HKDF.Expand(HashAlgorithmName.SHA256, PollLoopRig.Key, 32,
        Encoding.ASCII.GetBytes(Terminal.Payments.Antom.SignatureKeys.AntomRelayRequest));

    private static string Sign(string time, byte[] body)
    {
        byte[] content = Encoding.ASCII.GetBytes("POST " + Path + "\nT0001." + time + ".").Concat(body).ToArray();
        return "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(RequestKey, content)));
    }
}
