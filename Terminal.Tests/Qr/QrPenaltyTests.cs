using Xunit;
using Terminal.Drivers.Qr;
using Flaw = Terminal.Tests.Qr.QrPenaltyReference.Flaw;

namespace Terminal.Tests.Qr;

/// <summary>
/// QrPenalty, which scores a symbol as it would be with a mask by reading rows and transposed columns in 64-module
/// windows, against the plain string-matching reference (QrPenaltyReference) on random matrices and on symbols
/// built like the encoder builds them.
/// </summary>
public class QrPenaltyTests
{
    private static readonly Lazy<Sample[]> Corpus = new(() => MakeCorpus(new Random(18), 360));

    [Fact]
    public void Score_equals_the_reference_on_random_matrices_of_every_version_and_mask()
    {
        var penalty = new QrPenalty();
        foreach (Sample s in Corpus.Value)
        {
            int expected = QrPenaltyReference.Score(s.Final).Score;
            Assert.True(expected == penalty.Score(s.Matrix, s.Mask), $"version {s.Matrix.Version}, mask {s.Mask}, {s.Style}: reference {expected}, ours {penalty.Score(s.Matrix, s.Mask)}");
        }
    }

    [Fact]
    public void The_random_matrices_exercise_every_rule()
    {
        var results = Corpus.Value.Select(s => QrPenaltyReference.Score(s.Final)).ToArray();
        Assert.True(results.Count(r => r.FinderLike > 0) >= 50, "finder-like patterns (n = 1)");
        Assert.True(results.Count(r => r.WideFinderLike > 0) >= 20, "finder-like patterns with n >= 2");
        Assert.Equal(40, Corpus.Value.Select(s => s.Matrix.Version).Distinct().Count()); // 1-6 words, 1-4 windows a line
        Assert.Equal(8, Corpus.Value.Select(s => s.Mask).Distinct().Count());
    }

    /// <summary>
    /// Negative control: each flaw of the reference (one rule misread) gives a different score than QrPenalty
    /// on some matrix of the same corpus, so agreement above is not vacuous for any rule.
    /// </summary>
    [Theory]
    [InlineData(Flaw.RunsScoreFlat)]
    [InlineData(Flaw.DarkRunsOnly)]
    [InlineData(Flaw.DarkBlocksOnly)]
    [InlineData(Flaw.NarrowFindersOnly)]
    [InlineData(Flaw.NoQuietZone)]
    [InlineData(Flaw.FinderCountedOnce)]
    [InlineData(Flaw.BalanceRounded)]
    public void Negative_control_a_flawed_reference_disagrees_on_the_same_corpus(Flaw flaw)
    {
        var penalty = new QrPenalty();
        int disagreements = Corpus.Value.Count(s => QrPenaltyReference.Score(s.Final, flaw).Score != penalty.Score(s.Matrix, s.Mask));
        Assert.True(disagreements > 0, $"no matrix tells {flaw} from the right score");
    }

    /// <summary>
    /// Symbols built as the encoder builds them (function patterns, placed codewords, format bits of each mask
    /// in turn, so the format is redrawn over the previous mask's): the score of each mask equals the
    /// reference's score of the symbol with that mask applied.
    /// </summary>
    [Fact]
    public void Score_of_every_mask_equals_the_reference_on_encoder_built_symbols()
    {
        var random = new Random(3);
        var penalty = new QrPenalty();
        int[] versions = [1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 14, 27, 33, 40]; // 1 to 6 words, 1 to 4 windows a line
        foreach (int version in versions)
        {
            var matrix = new QrMatrix(version);
            matrix.Reset(version);
            var codewords = new byte[QrTables.TotalCodewords(version)];
            random.NextBytes(codewords);
            if (version % 3 == 0)
            {
                Array.Fill(codewords, (byte)(version % 2 == 0 ? 0x00 : 0xFF)); // long runs and big blocks
            }

            matrix.PlaceCodewords(codewords, codewords.Length);
            var ecc = (QrErrorCorrection)(version % 4);
            foreach (int mask in new[] { 3, 0, 7, 1, 6, 2, 5, 4 })
            {
                matrix.DrawFormat(ecc, mask);
                int ours = penalty.Score(matrix, mask);
                matrix.ApplyMask(mask);
                bool[][] symbol = Rows(matrix);
                matrix.ApplyMask(mask); // XOR again: back to unmasked
                Assert.Equal(QrPenaltyReference.Score(symbol).Score, ours);
                Assert.Equal((ecc, mask), QrTestSupport.ReadFormat(symbol));
            }
        }
    }

    /// <summary>
    /// Finder-like patterns so wide (n >= 6) that the centre run can go on past the end of one of QrPenalty's
    /// 64-module windows, starting at offsets 3 modules apart, in rows and columns.
    /// </summary>
    [Theory]
    [InlineData(14, 6)]
    [InlineData(21, 9)]
    [InlineData(40, 14)]
    public void Wide_finder_like_patterns_across_words_equal_the_reference(int version, int n)
    {
        var penalty = new QrPenalty();
        int size = QrTables.Size(version);
        for (int centreStart = 2 * n; centreStart < 2 * n + 32; centreStart += 3)
        {
            var final = new bool[size][];
            for (int y = 0; y < size; y++)
            {
                final[y] = new bool[size];
            }

            int[] widths = [4 * n, n, n, 3 * n, n, n, 4 * n];
            Plant(final, widths, centreStart - 6 * n, size / 2, centreStart % 2 == 0);
            var matrix = new QrMatrix(version);
            matrix.Reset(version);
            int mask = centreStart % 8;
            Store(final, matrix, mask);
            var expected = QrPenaltyReference.Score(final);
            Assert.Equal(n, expected.WidestFinderLike);
            Assert.Equal(expected.Score, penalty.Score(matrix, mask));
        }
    }

    [Fact]
    public void Negative_control_a_flipped_module_changes_both_scores_alike()
    {
        var matrix = new QrMatrix(2);
        matrix.Reset(2);
        matrix.PlaceCodewords(new byte[44], 44);
        var penalty = new QrPenalty();
        int before = penalty.Score(matrix, 1); // rows of one colour: long runs that one flipped module splits
        matrix.SetDark(12, 12, !matrix.IsDark(12, 12));
        int after = penalty.Score(matrix, 1);
        Assert.NotEqual(before, after);
        matrix.ApplyMask(1);
        Assert.Equal(QrPenaltyReference.Score(Rows(matrix)).Score, after);
    }

    private sealed record Sample(QrMatrix Matrix, int Mask, bool[][] Final, string Style);

    /// <summary>
    /// Random final symbols (what a reader would see), stored in matrices so that the mask turns the stored
    /// modules into them: stored = final XOR (mask pattern AND NOT function). Styles: uniform noise of a random
    /// density over every module; the drawn function patterns with noise in the data area; rows of random run
    /// lengths; and finder-like patterns of width 1-4 (sometimes up to size/12) planted in rows and columns,
    /// partly off the edge, with light margins of 4n - 1, 4n or 4n + 1 modules.
    /// </summary>
    private static Sample[] MakeCorpus(Random random, int count)
    {
        var samples = new Sample[count];
        for (int i = 0; i < count; i++)
        {
            int version = i < 80 ? 1 + (i % 40) : i % 4 == 0 ? 1 + random.Next(40) : 1 + random.Next(10);
            int mask = i % 8;
            var matrix = new QrMatrix(version);
            matrix.Reset(version);
            int size = matrix.Size;
            string style = (i % 5) switch { 0 => "noise", 1 => "data noise", 2 => "runs", _ => "planted finders" };
            bool[][] final = new bool[size][];
            double density = random.Next(4) == 0 ? 0.1 + 0.8 * random.NextDouble() : 0.5;
            for (int y = 0; y < size; y++)
            {
                final[y] = new bool[size];
                int runLeft = 0;
                bool runDark = false;
                for (int x = 0; x < size; x++)
                {
                    if (style == "runs")
                    {
                        if (runLeft == 0)
                        {
                            runLeft = 1 + random.Next(random.Next(2) == 0 ? 4 : 12);
                            runDark = !runDark;
                        }

                        final[y][x] = runDark;
                        runLeft--;
                    }
                    else if (style == "data noise" && matrix.IsFunction(x, y))
                    {
                        final[y][x] = matrix.IsDark(x, y);
                    }
                    else
                    {
                        final[y][x] = random.NextDouble() < density;
                    }
                }
            }

            if (style == "planted finders")
            {
                for (int k = random.Next(1, 6); k > 0; k--)
                {
                    Plant(final, random);
                }
            }

            Store(final, matrix, mask);
            samples[i] = new Sample(matrix, mask, final, style);
        }

        return samples;
    }

    /// <summary>Writes a final symbol into a matrix as the modules that the mask turns into it.</summary>
    private static void Store(bool[][] final, QrMatrix matrix, int mask)
    {
        for (int y = 0; y < final.Length; y++)
        {
            for (int x = 0; x < final.Length; x++)
            {
                bool inverted = !matrix.IsFunction(x, y) && QrPenaltyReference.MaskInverts(mask, x, y);
                matrix.SetDark(x, y, final[y][x] != inverted);
            }
        }
    }

    private static void Plant(bool[][] final, Random random)
    {
        int size = final.Length;
        int n = random.Next(4) == 0 ? 1 + random.Next(size / 12) : 1 + random.Next(Math.Min(4, size / 7));
        int[] widths = [4 * n + random.Next(-1, 2), n, n, 3 * n, n, n, 4 * n + random.Next(-1, 2)];
        int start = random.Next(-widths[0] - 2, size - widths.Sum() + widths[6] + 3);
        Plant(final, widths, start, random.Next(size), random.Next(2) == 0);
    }

    /// <summary>Runs of the given widths, light first, from module <paramref name="start"/> of a row or column.</summary>
    private static void Plant(bool[][] final, int[] widths, int start, int line, bool vertical)
    {
        int size = final.Length;
        int at = start;
        for (int r = 0; r < widths.Length; r++)
        {
            for (int k = 0; k < widths[r]; k++, at++)
            {
                if (at >= 0 && at < size)
                {
                    if (vertical)
                    {
                        final[at][line] = r % 2 == 1;
                    }
                    else
                    {
                        final[line][at] = r % 2 == 1;
                    }
                }
            }
        }
    }

    private static bool[][] Rows(QrMatrix m)
    {
        var rows = new bool[m.Size][];
        for (int y = 0; y < m.Size; y++)
        {
            rows[y] = new bool[m.Size];
            for (int x = 0; x < m.Size; x++)
            {
                rows[y][x] = m.IsDark(x, y);
            }
        }

        return rows;
    }
}
