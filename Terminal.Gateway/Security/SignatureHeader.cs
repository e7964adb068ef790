namespace Terminal.Gateway.Security;

/// <summary>
/// The Antom <c>Signature</c> header: <c>algorithm=&lt;alg&gt;,keyVersion=&lt;n&gt;,signature=&lt;url-encoded base64&gt;</c>
/// (docs/antom-protocol.md section 2). The same shape carries HS256 (terminal hop) and RSA256 (Antom hop).
/// </summary>
public sealed record SignatureHeader(string Algorithm, int KeyVersion, byte[] Signature)
{
    public const string Hs256 = "HS256";
    public const string Rsa256 = "RSA256";

    /// <summary>Formats the header; base64 is URL-encoded the way Java's URLEncoder does (%2B %2F %3D).</summary>
    public static string Format(string algorithm, int keyVersion, ReadOnlySpan<byte> signature)
    {
        // Built in one string: base64 has three characters to escape (+ / =), each as %XX (at most three times as long).
        Span<char> base64 = stackalloc char[MaxSignatureBytes * 4 / 3 + 4];
        if (!Convert.TryToBase64Chars(signature, base64, out int length)) throw new ArgumentException("signature is too long", nameof(signature));
        base64 = base64[..length];
        Span<char> text = stackalloc char[64 + algorithm.Length + 3 * length];
        int at = Append(text, 0, "algorithm=");
        at = Append(text, at, algorithm);
        at = Append(text, at, ",keyVersion=");
        keyVersion.TryFormat(text[at..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        at = Append(text, at + digits, ",signature=");
        foreach (char c in base64)
        {
            at = c switch
            {
                '+' => Append(text, at, "%2B"),
                '/' => Append(text, at, "%2F"),
                '=' => Append(text, at, "%3D"),
                _ => Append(text, at, c),
            };
        }
        return new string(text[..at]);
    }

    private static int Append(Span<char> text, int at, ReadOnlySpan<char> part)
    {
        part.CopyTo(text[at..]);
        return at + part.Length;
    }

    private static int Append(Span<char> text, int at, char c)
    {
        text[at] = c;
        return at + 1;
    }

    /// <summary>Longest signature handled (RSA 4096 is 512 bytes).</summary>
    public const int MaxSignatureBytes = 1024;

    /// <summary>
    /// Parses a received header. Everything after <c>signature=</c> is the value (as all Antom SDKs do); it is
    /// URL-decoded (a raw, un-encoded base64 value also passes) and base64-decoded. Returns null with a reason
    /// when the header is malformed.
    /// </summary>
    public static SignatureHeader? TryParse(string? header, out string error)
    {
        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        return TryParse(header, signature, out string algorithm, out int keyVersion, out int length, out error)
            ? new SignatureHeader(algorithm, keyVersion, signature[..length].ToArray())
            : null;
    }

    /// <summary>As <see cref="TryParse(string?, out string)"/>, with the signature decoded into
    /// <paramref name="signature"/> (a longer one is refused; <see cref="MaxSignatureBytes"/> hold any that passes the
    /// other form), nothing allocated.</summary>
    public static bool TryParse(string? header, Span<byte> signature, out string algorithm, out int keyVersion, out int length, out string error)
    {
        error = "";
        algorithm = "";
        keyVersion = 1; // Antom SDKs default the key version to 1
        length = 0;
        if (string.IsNullOrWhiteSpace(header))
        {
            error = "Signature header is missing";
            return false;
        }
        const string token = "signature=";
        int at = header.IndexOf(token, StringComparison.Ordinal);
        if (at < 0)
        {
            error = "Signature header has no signature= part";
            return false;
        }
        var parts = header.AsSpan(0, at);
        while (parts.Length > 0)
        {
            int comma = parts.IndexOf(',');
            var part = (comma < 0 ? parts : parts[..comma]).Trim();
            parts = comma < 0 ? default : parts[(comma + 1)..];
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var name = part[..eq];
            var value = part[(eq + 1)..];
            if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase)) algorithm = Known(value);
            else if (name.Equals("keyVersion", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out keyVersion) || keyVersion <= 0)
                {
                    error = "Signature header keyVersion is not a positive integer";
                    return false;
                }
            }
        }
        if (algorithm.Length == 0)
        {
            error = "Signature header has no algorithm";
            return false;
        }
        var encoded = header.AsSpan(at + token.Length).Trim();
        if (encoded.Length > MaxSignatureBytes * 2)
        {
            error = "Signature value is too long";
            return false;
        }
        Span<char> unescaped = stackalloc char[encoded.Length];
        Span<byte> decoded = stackalloc byte[encoded.Length];
        if (!Uri.TryUnescapeDataString(encoded, unescaped, out int unescapedLength)
            || !Convert.TryFromBase64Chars(unescaped[..unescapedLength], decoded, out length))
        {
            error = "Signature value is not URL-encoded base64";
            return false;
        }
        if (length == 0 || length > signature.Length)
        {
            error = length == 0 ? "Signature value is empty" : "Signature value is too long";
            return false;
        }
        decoded[..length].CopyTo(signature);
        return true;
    }

    /// <summary>The algorithm's name, without a new string for the two names in use.</summary>
    private static string Known(ReadOnlySpan<char> value) => value.SequenceEqual(Hs256) ? Hs256 : value.SequenceEqual(Rsa256) ? Rsa256 : value.ToString();
}
