using System.Text;

namespace Terminal.Benchmarks.Qr;

/// <summary>
/// Antom-style order code URLs like the fixture codeValue "https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf":
/// host, a 12-digit number starting 2810, then a base-62 token, cut or extended to the wanted length.
/// </summary>
internal static class AntomUrls
{
    public const string Host = "https://gqr.alipay.com/";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <param name="lowercaseToken">true: the token uses only a-z (no runs that alphanumeric or numeric mode
    /// could shorten), the worst case for a given length.</param>
    public static string Make(int length, int seed, bool lowercaseToken = false)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(Host, length + 12);
        sb.Append("2810");
        while (sb.Length < Host.Length + 12)
        {
            sb.Append((char)('0' + random.Next(10)));
        }

        while (sb.Length < length)
        {
            sb.Append(lowercaseToken ? (char)('a' + random.Next(26)) : Base62[random.Next(Base62.Length)]);
        }

        return sb.ToString(0, length);
    }
}
