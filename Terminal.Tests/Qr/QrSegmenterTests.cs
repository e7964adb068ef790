using Xunit;
using System.Text;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

public class QrSegmenterTests
{
    private const string Mixed = "0123456789ABCDEFXYZ $%*+-./:abcxyz?&=_";

    [Fact]
    public void Optimal_equals_brute_force_minimum_over_every_segmentation()
    {
        // Independent check: enumerate every split into runs and every admissible mode per run (short
        // strings only), cost each with the Table 3 formulas, and compare the minimum with the DP.
        var random = new Random(7);
        var segmenter = new QrSegmenter(64);
        for (int trial = 0; trial < 400; trial++)
        {
            int length = 1 + random.Next(24);
            byte[] data = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, length).Select(_ => Mixed[random.Next(trial % 2 == 0 ? 12 : Mixed.Length)]).ToArray()));
            for (int group = 0; group < 3; group++)
            {
                int expected = BruteForce(data, 0, group);
                Assert.Equal(expected, segmenter.Measure(data, 0, data.Length, group));
                Assert.Equal(expected, segmenter.BuildModes(data, 0, data.Length, group));
                Assert.Equal(expected, CostOfModes(segmenter.Modes, data, group));
            }
        }
    }

    [Fact]
    public void Optimal_is_never_longer_than_single_mode_over_random_mixed_strings()
    {
        var random = new Random(42);
        var segmenter = new QrSegmenter(2000);
        int strictlyShorter = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            int length = 1 + random.Next(600);
            // Runs of one character class, so that mode switches can pay off.
            var sb = new StringBuilder();
            while (sb.Length < length)
            {
                int cls = random.Next(3);
                int run = 1 + random.Next(20);
                for (int k = 0; k < run && sb.Length < length; k++)
                {
                    sb.Append(cls == 0 ? (char)('0' + random.Next(10)) : cls == 1 ? Mixed[10 + random.Next(18)] : Mixed[28 + random.Next(10)]);
                }
            }

            byte[] data = Encoding.ASCII.GetBytes(sb.ToString());
            for (int group = 0; group < 3; group++)
            {
                int optimal = segmenter.Measure(data, 0, data.Length, group);
                int single = segmenter.MeasureSingle(data, 0, data.Length, group);
                Assert.True(optimal <= single, $"{sb}: optimal {optimal} > single {single}");
                Assert.Equal(optimal, segmenter.BuildModes(data, 0, data.Length, group));
                Assert.Equal(optimal, CostOfModes(segmenter.Modes, data, group));
                if (optimal < single)
                {
                    strictlyShorter++;
                }
            }
        }

        Assert.True(strictlyShorter > 1000, "mixed strings should mostly gain from segmentation, gained " + strictlyShorter);
    }

    [Fact]
    public void Antom_url_sends_its_digit_run_as_numeric()
    {
        byte[] data = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        var segmenter = new QrSegmenter(100);
        int bits = segmenter.BuildModes(data, 0, data.Length, 0);
        // byte "https://gqr.alipay.com/", numeric "281017040012", byte "rqWv0ch",
        // alphanumeric "7G7Q5AZ5AZJO", byte "v4Igf".
        Assert.Equal((12 + 23 * 8) + (14 + 40) + (12 + 7 * 8) + (13 + 6 * 11) + (12 + 5 * 8), bits);
        int[] starts = [0, 23, 35, 42, 54];
        int[] modes = [QrTables.ModeByte, QrTables.ModeNumeric, QrTables.ModeByte, QrTables.ModeAlphanumeric, QrTables.ModeByte];
        for (int s = 0; s < starts.Length; s++)
        {
            Assert.Equal(modes[s] | QrSegmenter.SegmentStart, segmenter.Modes[starts[s]]);
        }
        Assert.Equal(12 + 59 * 8, segmenter.MeasureSingle(data, 0, data.Length, 0));
    }

    /// <summary>Bits of the segmentation written in Modes, costed by the Table 3 formulas.</summary>
    private static int CostOfModes(byte[] modes, byte[] data, int group)
    {
        int bits = 0;
        int start = 0;
        while (start < data.Length)
        {
            Assert.True((modes[start] & QrSegmenter.SegmentStart) != 0);
            int mode = modes[start] & 0x7F;
            int end = start + 1;
            while (end < data.Length && (modes[end] & QrSegmenter.SegmentStart) == 0)
            {
                Assert.Equal(mode, modes[end]);
                end++;
            }

            int? cost = SegmentBits(data, start, end - start, mode, group);
            Assert.True(cost.HasValue, "a byte was put in a mode that cannot hold it");
            bits += cost!.Value;
            start = end;
        }

        return bits;
    }

    /// <summary>Minimum over every split into runs and every mode per run (memoised on the run start).</summary>
    private static int BruteForce(byte[] data, int start, int group, Dictionary<int, int>? memo = null)
    {
        memo ??= new Dictionary<int, int>();
        if (start == data.Length)
        {
            return 0;
        }

        if (memo.TryGetValue(start, out int known))
        {
            return known;
        }

        int best = int.MaxValue;
        for (int end = start + 1; end <= data.Length; end++)
        {
            foreach (int mode in new[] { 1, 2, 4 })
            {
                int? cost = SegmentBits(data, start, end - start, mode, group);
                if (cost.HasValue)
                {
                    best = Math.Min(best, cost.Value + BruteForce(data, end, group, memo));
                }
            }
        }

        memo[start] = best;
        return best;
    }

    private static int? SegmentBits(byte[] data, int start, int length, int mode, int group)
    {
        int[][] countBits = [[10, 9, 8], [12, 11, 16], [14, 13, 16]];
        const string alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for (int i = start; i < start + length; i++)
        {
            char c = (char)data[i];
            if ((mode == 1 && !char.IsAsciiDigit(c)) || (mode == 2 && alnum.IndexOf(c) < 0))
            {
                return null;
            }
        }

        return mode switch
        {
            1 => 4 + countBits[group][0] + length / 3 * 10 + new[] { 0, 4, 7 }[length % 3],
            2 => 4 + countBits[group][1] + length / 2 * 11 + length % 2 * 6,
            _ => 4 + countBits[group][2] + 8 * length,
        };
    }
}
