using System.Text.RegularExpressions;

namespace Terminal.Tests.Qr;

/// <summary>
/// The section 7.8.3 penalty written as plainly as possible, to check QrPenalty against: rows and columns as
/// strings of '0'/'1', N1 by regular expression, N2 by comparing the four modules of every block, N3 by
/// substring search for light(4n) dark(n) light(n) dark(3n) light(n) dark(n) light and its mirror in the line
/// padded with quiet zone, N4 in decimal percent. A <see cref="Flaw"/> can be switched on: the negative
/// controls show that the test corpus tells each flawed score from the right one.
/// </summary>
public static class QrPenaltyReference
{
    public enum Flaw
    {
        None,
        RunsScoreFlat,          // every run of 5 or more scores 3, whatever its length
        DarkRunsOnly,           // N1 ignores light runs
        DarkBlocksOnly,         // N2 ignores light blocks
        NarrowFindersOnly,      // N3 only for module width n = 1
        NoQuietZone,            // N3 does not see the light outside the symbol
        FinderCountedOnce,      // N3 counts a pattern once even with light on both sides
        BalanceRounded,         // N4 rounds the deviation to the nearest 5% instead of flooring it
    }

    /// <param name="FinderLike">N3 patterns counted (each side with 4n light counts once).</param>
    /// <param name="WideFinderLike">Those with module width n >= 2.</param>
    /// <param name="WidestFinderLike">The largest n counted, 0 if none.</param>
    public readonly record struct Result(int Score, int FinderLike, int WideFinderLike, int WidestFinderLike);

    public static Result Score(bool[][] rows, Flaw flaw = Flaw.None)
    {
        int size = rows.Length;
        string[] rowText = rows.Select(r => new string(r.Select(d => d ? '1' : '0').ToArray())).ToArray();
        string[] columnText = Enumerable.Range(0, size).Select(x => new string(rows.Select(r => r[x] ? '1' : '0').ToArray())).ToArray();
        int score = 0;
        int finderLike = 0;
        int wideFinderLike = 0;
        int widest = 0;
        foreach (string line in rowText.Concat(columnText))
        {
            foreach (Match run in Regex.Matches(line, flaw == Flaw.DarkRunsOnly ? "1{5,}" : "0{5,}|1{5,}"))
            {
                score += flaw == Flaw.RunsScoreFlat ? 3 : 3 + run.Length - 5;
            }

            string quiet = new string(flaw == Flaw.NoQuietZone ? 'x' : '0', size);
            string padded = quiet + line + quiet;
            for (int n = 1; 7 * n <= size && (n == 1 || flaw != Flaw.NarrowFindersOnly); n++)
            {
                string core = new string('1', n) + new string('0', n) + new string('1', 3 * n) + new string('0', n) + new string('1', n);
                int found = Occurrences(padded, new string('0', 4 * n) + core + "0") + Occurrences(padded, "0" + core + new string('0', 4 * n));
                if (flaw == Flaw.FinderCountedOnce)
                {
                    found -= Occurrences(padded, new string('0', 4 * n) + core + new string('0', 4 * n));
                }

                finderLike += found;
                wideFinderLike += n > 1 ? found : 0;
                widest = found > 0 ? Math.Max(widest, n) : widest;
            }
        }

        for (int y = 0; y + 1 < size; y++)
        {
            for (int x = 0; x + 1 < size; x++)
            {
                bool c = rows[y][x];
                if (rows[y][x + 1] == c && rows[y + 1][x] == c && rows[y + 1][x + 1] == c && (c || flaw != Flaw.DarkBlocksOnly))
                {
                    score += 3;
                }
            }
        }

        decimal darkPercent = rows.Sum(r => r.Count(d => d)) * 100m / (size * size);
        decimal fifths = Math.Abs(darkPercent - 50m) / 5m;
        int k = (int)(flaw == Flaw.BalanceRounded ? Math.Round(fifths, MidpointRounding.AwayFromZero) : Math.Floor(fifths));
        return new Result(score + 40 * finderLike + 10 * k, finderLike, wideFinderLike, widest);
    }

    /// <summary>Table 10 written out again (i = row y, j = column x), independently of the encoder's.</summary>
    public static bool MaskInverts(int mask, int x, int y) => mask switch
    {
        0 => (y + x) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (y + x) % 3 == 0,
        4 => (y / 2 + x / 3) % 2 == 0,
        5 => (y * x) % 2 + (y * x) % 3 == 0,
        6 => ((y * x) % 2 + (y * x) % 3) % 2 == 0,
        _ => ((y + x) % 2 + (y * x) % 3) % 2 == 0,
    };

    private static int Occurrences(string text, string pattern)
    {
        int count = 0;
        for (int i = text.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pattern, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
