using Xunit;
using Terminal.Drivers.Qr;
using ZXing.Common.ReedSolomon;

namespace Terminal.Tests.Qr;

public class QrReedSolomonTests
{
    [Fact]
    public void Annex_I_example_01234567_1M_error_correction_codewords()
    {
        // ISO/IEC 18004:2015 Annex I: the 16 data codewords of "01234567" at 1-M and their 10 EC codewords.
        byte[] data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11];
        byte[] expected = [165, 36, 212, 193, 237, 54, 199, 135, 44, 85];
        var rs = new ReedSolomon();
        var ecc = new byte[10];
        rs.Compute(data, 0, data.Length, 10, ecc, 0, 1);
        Assert.Equal(expected, ecc);
    }

    [Fact]
    public void Equals_ZXing_encoder_for_every_degree_on_random_blocks()
    {
        var random = new Random(11);
        var rs = new ReedSolomon();
        var zxing = new ReedSolomonEncoder(ZXing.Common.ReedSolomon.GenericGF.QR_CODE_FIELD_256);
        for (int degree = 1; degree <= ReedSolomon.MaxDegree; degree++)
        {
            int dataLength = 1 + random.Next(150);
            var data = new byte[dataLength];
            random.NextBytes(data);
            var ours = new byte[degree * 3];
            rs.Compute(data, 0, dataLength, degree, ours, 1, 3); // strided output, as interleaving writes it

            var words = new int[dataLength + degree];
            for (int i = 0; i < dataLength; i++)
            {
                words[i] = data[i];
            }

            zxing.encode(words, degree);
            for (int i = 0; i < degree; i++)
            {
                Assert.Equal(words[dataLength + i], ours[1 + 3 * i]);
            }
        }
    }

    [Fact]
    public void Negative_control_a_changed_data_byte_changes_the_codewords()
    {
        var rs = new ReedSolomon();
        byte[] data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x10];
        var ecc = new byte[10];
        rs.Compute(data, 0, data.Length, 10, ecc, 0, 1);
        Assert.NotEqual(new byte[] { 165, 36, 212, 193, 237, 54, 199, 135, 44, 85 }, ecc);
    }
}
