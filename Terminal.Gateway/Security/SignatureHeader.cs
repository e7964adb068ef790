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
    public static string Format(string algorithm, int keyVersion, ReadOnlySpan<byte> signature) =>
        $"algorithm={algorithm},keyVersion={keyVersion},signature={Uri.EscapeDataString(Convert.ToBase64String(signature))}";

    /// <summary>
    /// Parses a received header. Everything after <c>signature=</c> is the value (as all Antom SDKs do); it is
    /// URL-decoded (a raw, un-encoded base64 value also passes) and base64-decoded. Returns null with a reason
    /// when the header is malformed.
    /// </summary>
    public static SignatureHeader? TryParse(string? header, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(header))
        {
            error = "Signature header is missing";
            return null;
        }
        const string token = "signature=";
        int at = header.IndexOf(token, StringComparison.Ordinal);
        if (at < 0)
        {
            error = "Signature header has no signature= part";
            return null;
        }
        string algorithm = "";
        int keyVersion = 1; // Antom SDKs default the key version to 1
        foreach (string part in header[..at].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            string name = part[..eq];
            string value = part[(eq + 1)..];
            if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase)) algorithm = value;
            else if (name.Equals("keyVersion", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out keyVersion) || keyVersion <= 0)
                {
                    error = "Signature header keyVersion is not a positive integer";
                    return null;
                }
            }
        }
        if (algorithm.Length == 0)
        {
            error = "Signature header has no algorithm";
            return null;
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Uri.UnescapeDataString(header[(at + token.Length)..].Trim()));
        }
        catch (FormatException)
        {
            error = "Signature value is not URL-encoded base64";
            return null;
        }
        if (signature.Length == 0)
        {
            error = "Signature value is empty";
            return null;
        }
        return new SignatureHeader(algorithm, keyVersion, signature);
    }
}
