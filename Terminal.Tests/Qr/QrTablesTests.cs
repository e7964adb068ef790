using Xunit;
using Terminal.Drivers.Qr;
using ZXing.QrCode.Internal;
using ZxVersion = ZXing.QrCode.Internal.Version;

namespace Terminal.Tests.Qr;

/// <summary>Our Table 9 / Annex E grids and derived counts against ZXing's independent tables.</summary>
public class QrTablesTests
{
    [Fact]
    public void Blocks_codewords_and_alignment_centres_equal_ZXing_for_all_versions_and_levels()
    {
        ErrorCorrectionLevel[] levels = [ErrorCorrectionLevel.L, ErrorCorrectionLevel.M, ErrorCorrectionLevel.Q, ErrorCorrectionLevel.H];
        for (int v = 1; v <= 40; v++)
        {
            ZxVersion theirs = ZxVersion.getVersionForNumber(v);
            Assert.Equal(theirs.TotalCodewords, QrTables.TotalCodewords(v));
            Assert.Equal(theirs.DimensionForVersion, QrTables.Size(v));
            int[] centres = theirs.AlignmentPatternCenters;
            Assert.Equal(centres.Length, QrTables.AlignmentCount(v));
            for (int i = 0; i < centres.Length; i++)
            {
                Assert.Equal(centres[i], QrTables.AlignmentCentre(v, i));
            }

            for (int e = 0; e < 4; e++)
            {
                var blocks = theirs.getECBlocksForLevel(levels[e]);
                Assert.Equal(blocks.ECCodewordsPerBlock, QrTables.EccPerBlock(v, (QrErrorCorrection)e));
                Assert.Equal(blocks.NumBlocks, QrTables.BlockCount(v, (QrErrorCorrection)e));
            }
        }
    }

    [Fact]
    public void Raw_data_modules_equal_the_modules_left_free_by_the_drawn_function_patterns()
    {
        for (int v = 1; v <= 40; v++)
        {
            var matrix = new QrMatrix(v);
            matrix.Reset(v);
            int free = 0;
            for (int y = 0; y < matrix.Size; y++)
            {
                for (int x = 0; x < matrix.Size; x++)
                {
                    free += matrix.IsFunction(x, y) ? 0 : 1;
                }
            }

            Assert.Equal(free, QrTables.RawDataModules(v));
        }
    }

    [Theory]
    [InlineData(QrErrorCorrection.Medium, 5, 0b100000011001110)] // section 7.9.1 worked example: M, mask 101
    [InlineData(QrErrorCorrection.Low, 0, 0b111011111000100)]
    [InlineData(QrErrorCorrection.High, 7, 0b000100000111011)]
    public void Format_bits_known_answers(QrErrorCorrection ecc, int mask, int expected)
    {
        Assert.Equal(expected, QrTables.FormatBits(ecc, mask));
    }

    [Theory]
    [InlineData(7, 0b000111110010010100)] // Annex D, Table D.1
    [InlineData(40, 0b101000110001101001)]
    public void Version_bits_known_answers(int version, int expected)
    {
        Assert.Equal(expected, QrTables.VersionBits(version));
    }
}
