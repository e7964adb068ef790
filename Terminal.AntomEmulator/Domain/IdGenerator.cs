using System.Globalization;
using System.Text;

namespace Terminal.AntomEmulator;

/// <summary>
/// Antom-looking ids from one sequence (35 characters like 202003151940108001001881I0204295953, date first) and
/// seeded random tokens, so a run with the same seed and the same calls produces the same ids.
/// </summary>
internal sealed class IdGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private long _sequence;

    public IdGenerator(int seed)
    {
        Random = new Random(seed);
    }

    /// <summary>The seeded generator for codes and customer ids (callers hold the state lock).</summary>
    public Random Random { get; }

    public string NextPaymentId(DateTimeOffset now) => Date(now) + "1940108001001E" + Next();

    public string NextRefundId(DateTimeOffset now) => Date(now) + "1940108013001R" + Next();

    /// <summary>Keeps ids unique after a restart from the SQLite file.</summary>
    public void SeeExisting(string id)
    {
        if (id.Length >= 13 && long.TryParse(id.AsSpan(id.Length - 13), NumberStyles.None, CultureInfo.InvariantCulture, out long used))
        {
            _sequence = Math.Max(_sequence, used);
        }
    }

    public string Token(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(Alphabet[Random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    private static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private string Next() => (++_sequence).ToString("D13", CultureInfo.InvariantCulture);
}
