using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Request-Time styles of Antom's official SDKs (docs/antom-protocol.md section 2).</summary>
public enum TimeStyle
{
    EpochMilliseconds, // Java, Go
    DotNetRoundTrip,   // .NET SDK: DateTime.UtcNow.ToString("o")
    PythonSeconds,     // 2024-05-01T10:00:00+00:00
    PythonMicroseconds, // datetime.isoformat(): 2024-05-01T10:00:00.123456+00:00
    Php,               // DATE_ISO8601: 2024-05-01T10:00:00+0000
}

/// <summary>
/// The test's own Antom signer and verifier, written from the documented scheme with .NET's RSA, independent of
/// the emulator's code: <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;body&gt;</c>, SHA-256 with RSA PKCS#1 v1.5,
/// base64, URL-encoded.
/// </summary>
internal static class TestSigner
{
    public static byte[] Content(string path, string clientId, string time, byte[] body)
    {
        byte[] prefix = Encoding.UTF8.GetBytes($"POST {path}\n{clientId}.{time}.");
        return prefix.Concat(body).ToArray();
    }

    public static string Time(TimeStyle style, DateTimeOffset now) => style switch
    {
        TimeStyle.EpochMilliseconds => now.ToUnixTimeMilliseconds().ToString(),
        TimeStyle.DotNetRoundTrip => now.UtcDateTime.ToString("o"),
        TimeStyle.PythonSeconds => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss") + "+00:00",
        TimeStyle.PythonMicroseconds => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff") + "+00:00",
        TimeStyle.Php => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss") + "+0000",
        _ => throw new ArgumentOutOfRangeException(nameof(style)),
    };

    public static byte[] Sign(byte[] pkcs8, byte[] content)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Encodes like the Java SDK (upper-case escapes) or like the .NET SDK's HttpUtility (lower-case).</summary>
    public static string Encode(byte[] signature, bool lowerCaseEscapes) =>
        lowerCaseEscapes ? HttpUtility.UrlEncode(Convert.ToBase64String(signature)) : Uri.EscapeDataString(Convert.ToBase64String(signature));

    /// <summary>Verifies an emulator Signature header against Antom's public key.</summary>
    public static bool Verify(byte[] antomPublicKey, byte[] content, string? signatureHeader)
    {
        if (signatureHeader == null)
        {
            return false;
        }

        const string token = "signature=";
        int at = signatureHeader.IndexOf(token, StringComparison.Ordinal);
        if (at < 0 || !signatureHeader.StartsWith("algorithm=RSA256,", StringComparison.Ordinal))
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Uri.UnescapeDataString(signatureHeader.Substring(at + token.Length)));
        }
        catch (FormatException)
        {
            return false;
        }

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(antomPublicKey, out _);
        return rsa.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
