using Xunit;
using System.Text;
using System.Text.RegularExpressions;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

/// <summary>
/// The penalty score against a reference written differently: rows and columns as strings of '0'/'1',
/// N1 by regular expression, N3 by substring search for light(4n) dark(n) light(n) dark(3n) light(n) dark(n)
/// followed by light (and its mirror) in the line padded with quiet zone, N4 in decimal percent.
/// </summary>
public class QrPenaltyTests
{
    [Fact]
    public void Score_equals_the_string_matching_reference_on_random_symbols_of_every_mask()
    {
        var random = new Random(3);
        var penalty = new QrPenalty();
        int finderLikeSeen = 0;
        int[] versions = [1, 2, 3, 4, 6, 7, 10, 12, 14, 27, 33, 40]; // 1 to 6 words per row
        for (int trial = 0; trial < 24; trial++)
        {
            int version = versions[trial % versions.Length];
            var matrix = new QrMatrix(version);
            matrix.Reset(version);
            var codewords = new byte[QrTables.TotalCodewords(version)];
            random.NextBytes(codewords);
            if (trial % 3 == 0)
            {
                Array.Fill(codewords, (byte)(trial % 2 == 0 ? 0x00 : 0xFF)); // long runs and big blocks
            }

            matrix.PlaceCodewords(codewords, codewords.Length);
            int mask = trial % 8;
            matrix.ApplyMask(mask);
            matrix.DrawFormat(QrErrorCorrection.Medium, mask);
            string[] rows = Rows(matrix);
            var (expected, n3) = Reference(rows);
            finderLikeSeen += n3;
            Assert.Equal(expected, penalty.Score(matrix));
        }

        Assert.True(finderLikeSeen > 0, "the symbols should exercise rule 3");
    }

    [Fact]
    public void Negative_control_a_flipped_module_changes_both_scores_alike()
    {
        var matrix = new QrMatrix(2);
        matrix.Reset(2);
        matrix.PlaceCodewords(new byte[44], 44);
        matrix.ApplyMask(1); // rows of one colour: long runs that one flipped module splits
        var penalty = new QrPenalty();
        int before = penalty.Score(matrix);
        matrix.SetDark(12, 12, !matrix.IsDark(12, 12));
        int after = penalty.Score(matrix);
        Assert.NotEqual(before, after);
        Assert.Equal(Reference(Rows(matrix)).Score, after);
    }

    private static string[] Rows(QrMatrix m)
    {
        var rows = new string[m.Size];
        for (int y = 0; y < m.Size; y++)
        {
            var sb = new StringBuilder();
            for (int x = 0; x < m.Size; x++)
            {
                sb.Append(m.IsDark(x, y) ? '1' : '0');
            }

            rows[y] = sb.ToString();
        }

        return rows;
    }

    private static (int Score, int FinderLike) Reference(string[] rows)
    {
        int size = rows.Length;
        var columns = Enumerable.Range(0, size).Select(x => new string(rows.Select(r => r[x]).ToArray())).ToArray();
        int score = 0;
        int finderLike = 0;
        foreach (string line in rows.Concat(columns))
        {
            foreach (Match run in Regex.Matches(line, "0{5,}|1{5,}"))
            {
                score += 3 + run.Length - 5;
            }

            string padded = new string('0', size) + line + new string('0', size);
            for (int n = 1; 7 * n <= size; n++)
            {
                string core = new string('1', n) + new string('0', n) + new string('1', 3 * n) + new string('0', n) + new string('1', n);
                finderLike += Occurrences(padded, new string('0', 4 * n) + core + "0");
                finderLike += Occurrences(padded, "0" + core + new string('0', 4 * n));
            }
        }

        for (int y = 0; y + 1 < size; y++)
        {
            for (int x = 0; x + 1 < size; x++)
            {
                char c = rows[y][x];
                if (rows[y][x + 1] == c && rows[y + 1][x] == c && rows[y + 1][x + 1] == c)
                {
                    score += 3;
                }
            }
        }

        decimal darkPercent = rows.Sum(r => r.Count(ch => ch == '1')) * 100m / (size * size);
        int k = (int)Math.Floor(Math.Abs(darkPercent - 50m) / 5m);
        return (score + 40 * finderLike + 10 * k, finderLike);
    }

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
