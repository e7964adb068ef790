using Xunit;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

/// <summary>
/// QrMatrix keeps its dark and function planes by rows and by columns, and reuses a version's function
/// patterns for the next symbol of that version: both orientations must always hold the same modules, and a
/// reused matrix must equal a fresh one.
/// </summary>
public class QrMatrixTests
{
    [Fact]
    public void The_column_planes_are_the_row_planes_transposed_for_every_version()
    {
        var random = new Random(5);
        for (int version = 1; version <= 40; version++)
        {
            var matrix = new QrMatrix(version);
            matrix.Reset(version);
            matrix.PlaceCodewords(RandomCodewords(version, random), QrTables.TotalCodewords(version));
            matrix.DrawFormat((QrErrorCorrection)(version % 4), version % 8);
            AssertTransposed(matrix, matrix.Bits, matrix.BitsByColumn);
            AssertTransposed(matrix, matrix.Function, matrix.FunctionByColumn);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(27)]
    [InlineData(40)]
    public void A_matrix_reset_to_the_version_it_had_equals_a_fresh_one(int version)
    {
        var random = new Random(version);
        var reused = new QrMatrix(version);
        reused.Reset(version);
        reused.PlaceCodewords(RandomCodewords(version, random), QrTables.TotalCodewords(version));
        reused.DrawFormat(QrErrorCorrection.High, 5);
        reused.ApplyMask(5);

        byte[] codewords = RandomCodewords(version, random);
        reused.Reset(version);
        reused.PlaceCodewords(codewords, codewords.Length);
        reused.DrawFormat(QrErrorCorrection.Low, 2);
        var fresh = new QrMatrix(version);
        fresh.Reset(version);
        fresh.PlaceCodewords(codewords, codewords.Length);
        fresh.DrawFormat(QrErrorCorrection.Low, 2);

        int words = fresh.Size * fresh.Stride;
        Assert.Equal(fresh.Bits.Take(words), reused.Bits.Take(words));
        Assert.Equal(fresh.BitsByColumn.Take(words), reused.BitsByColumn.Take(words));
        Assert.Equal(fresh.Function.Take(words), reused.Function.Take(words));
        Assert.Equal(fresh.FunctionByColumn.Take(words), reused.FunctionByColumn.Take(words));
    }

    /// <summary>Reuse stops once a module was written from outside: the next Reset draws everything again.</summary>
    [Fact]
    public void A_function_module_set_from_outside_is_redrawn_by_the_next_reset()
    {
        var matrix = new QrMatrix(3);
        matrix.Reset(3);
        Assert.True(matrix.IsDark(0, 0)); // finder corner
        matrix.SetDark(0, 0, false);
        matrix.Reset(3);
        Assert.True(matrix.IsDark(0, 0));
        AssertTransposed(matrix, matrix.Bits, matrix.BitsByColumn);
    }

    private static void AssertTransposed(QrMatrix m, uint[] rows, uint[] columns)
    {
        for (int y = 0; y < m.Size; y++)
        {
            for (int x = 0; x < m.Size; x++)
            {
                bool byRow = ((rows[y * m.Stride + (x >> 5)] >> (x & 31)) & 1) != 0;
                bool byColumn = ((columns[x * m.Stride + (y >> 5)] >> (y & 31)) & 1) != 0;
                Assert.True(byRow == byColumn, $"version {m.Version}, module ({x}, {y})");
            }
        }
    }

    private static byte[] RandomCodewords(int version, Random random)
    {
        var codewords = new byte[QrTables.TotalCodewords(version)];
        random.NextBytes(codewords);
        return codewords;
    }
}
