namespace Terminal.AntomEmulator;

/// <summary>
/// The <c>Signature</c> header: <c>algorithm=RSA256,keyVersion=1,signature=&lt;url-encoded base64&gt;</c>
/// (docs/antom-protocol.md section 2). Parsing follows the SDKs: everything after <c>signature=</c> is the value.
/// </summary>
internal readonly record struct SignatureHeader(string Algorithm, int? KeyVersion, byte[] Signature)
{
    private const string SignatureToken = "signature=";

    public static string Format(string algorithm, int keyVersion, byte[] signature) =>
        "algorithm=" + algorithm + ",keyVersion=" + keyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        ",signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));

    /// <summary>Parses a header; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string header, out SignatureHeader result, out string error)
    {
        result = default;
        int at = header.IndexOf(SignatureToken, StringComparison.Ordinal);
        if (at < 0)
        {
            error = "Signature header has no signature= part";
            return false;
        }

        string algorithm = string.Empty;
        int? keyVersion = null;
        foreach (string part in header.Substring(0, at).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
            {
                error = $"Signature header part '{part}' is not name=value";
                return false;
            }

            string name = part.Substring(0, eq).Trim();
            string value = part.Substring(eq + 1).Trim();
            if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase))
            {
                algorithm = value;
            }
            else if (name.Equals("keyVersion", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version))
                {
                    error = $"Signature keyVersion '{value}' is not a number";
                    return false;
                }

                keyVersion = version;
            }
        }

        // Upper- or lower-case percent escapes both decode here (the .NET SDK sends %2b, Java %2B);
        // a raw base64 value (PHP tolerates one) has no '%' and passes through unchanged.
        string encoded = header.Substring(at + SignatureToken.Length).Trim();
        string base64;
        try
        {
            base64 = Uri.UnescapeDataString(encoded);
        }
        catch (UriFormatException)
        {
            error = "Signature value is not percent-encoded base64";
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            error = "Signature value is not base64";
            return false;
        }

        result = new SignatureHeader(algorithm, keyVersion, signature);
        error = string.Empty;
        return true;
    }
}
