using Xunit;
using System.Text;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

public class QrEncoderTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Annex_I_example_is_version_1_M_and_decodes()
    {
        var encoder = new QrEncoder(1);
        QrCode code = encoder.Encode(Ascii("01234567"), 0, 8, QrErrorCorrection.Medium, 1, 1, -1, false);
        Assert.Equal((1, 21, QrErrorCorrection.Medium), (code.Version, code.Size, code.ErrorCorrection));
        Assert.Equal(Ascii("01234567"), QrTestSupport.DecodeBytes(code, 3));
    }

    [Fact]
    public void No_allocation_per_encode_after_construction()
    {
        var encoder = new QrEncoder(40);
        var fit = new QrFit(encoder);
        byte[][] payloads =
        [
            Ascii(QrTestSupport.AntomUrl(59, new Random(1))),
            Ascii(QrTestSupport.AntomUrl(300, new Random(2))),
            Ascii(QrTestSupport.AntomUrl(2048, new Random(3))),
            Ascii(new string('9', 5000)),
            Encoding.UTF8.GetBytes("Grüße 谢谢 0123456789 ABCDEF"),
        ];

        void EncodeAll()
        {
            foreach (byte[] p in payloads)
            {
                encoder.Encode(p, 0, p.Length, QrErrorCorrection.Low, 1, 40, -1, true);
                encoder.TryEncode(p, 0, p.Length, QrErrorCorrection.High, 1, 40, 3, false, out _);
                encoder.TryEncode(p, 0, p.Length, QrErrorCorrection.High, 1, 5, -1, false, out _); // too long: false
                fit.TryFit(p, 0, p.Length, 128, 64, 2);
            }
        }

        EncodeAll(); // JIT and first-call work outside the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        EncodeAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_result_is_reused_and_reflects_the_latest_encode()
    {
        var encoder = new QrEncoder(10);
        QrCode first = encoder.Encode(Ascii("1"), 0, 1, QrErrorCorrection.Low, 1, 10, -1, false);
        QrCode second = encoder.Encode(Ascii(new string('A', 200)), 0, 200, QrErrorCorrection.Low, 1, 10, -1, false);
        Assert.Same(first, second);
        Assert.True(second.Version > 1);
        Assert.False(second.IsDark(-1, 0));
        Assert.False(second.IsDark(0, second.Size)); // outside = quiet zone = light
        Assert.True(second.IsDark(0, 0));            // finder corner
    }

    [Fact]
    public void A_failed_encode_leaves_the_previous_symbol_untouched()
    {
        var encoder = new QrEncoder(5);
        byte[] url = Ascii("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        QrCode code = encoder.Encode(url, 0, url.Length, QrErrorCorrection.Low, 1, 5, -1, false);
        bool[][] before = QrTestSupport.Snapshot(code);
        byte[] tooLong = new byte[200];
        Assert.False(encoder.TryEncode(tooLong, 0, tooLong.Length, QrErrorCorrection.Low, 1, 5, -1, false, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(url, 0, url.Length, QrErrorCorrection.Low, 1, 5, 9, false));
        Assert.Equal("", QrTestSupport.Diff(before, QrTestSupport.Snapshot(code)));
        Assert.Equal(url, QrTestSupport.DecodeBytes(code, 2));
    }

    [Fact]
    public void Smallest_version_then_boosted_level()
    {
        var encoder = new QrEncoder(40);
        // 41 bits: v1 holds 152 (L), 128 (M), 104 (Q), 72 (H) data bits, so boosting reaches H at version 1.
        QrCode code = encoder.Encode(Ascii("01234567"), 0, 8, QrErrorCorrection.Low, 1, 40, -1, true);
        Assert.Equal((1, QrErrorCorrection.High), (code.Version, code.ErrorCorrection));
        code = encoder.Encode(Ascii("01234567"), 0, 8, QrErrorCorrection.Low, 1, 40, -1, false);
        Assert.Equal((1, QrErrorCorrection.Low), (code.Version, code.ErrorCorrection));
        code = encoder.Encode(Ascii("01234567"), 0, 8, QrErrorCorrection.Low, 3, 40, 6, false);
        Assert.Equal((3, 6), (code.Version, code.Mask));
    }

    [Fact]
    public void Payload_exactly_at_capacity_fits_and_one_more_byte_does_not()
    {
        var encoder = new QrEncoder(40);
        // Version 40-L byte capacity is 2953 bytes: 4 + 16 + 8*2953 = 23644 bits of 23648.
        byte[] payload = new byte[2954];
        new Random(5).NextBytes(payload);
        Assert.True(encoder.TryEncode(payload, 0, 2953, QrErrorCorrection.Low, 1, 40, -1, false, out QrCode? code));
        Assert.Equal(40, code!.Version);
        Assert.Equal(payload.AsSpan(0, 2953).ToArray(), QrTestSupport.DecodeBytes(code, 2));
        Assert.False(encoder.TryEncode(payload, 0, 2954, QrErrorCorrection.Low, 1, 40, -1, false, out code));
        Assert.Null(code);
    }

    [Fact]
    public void Too_long_data_throws_with_bits_needed_capacity_and_remedies()
    {
        var encoder = new QrEncoder(10);
        byte[] url = Ascii(QrTestSupport.AntomUrl(300, new Random(9)));
        var e = Assert.Throws<QrDataTooLongException>(() => encoder.Encode(url, 0, url.Length, QrErrorCorrection.Medium, 1, 10, -1, false));
        Assert.Equal(10, e.Version);
        Assert.Equal(QrEncoder.GetCapacityBits(10, QrErrorCorrection.Medium), e.CapacityBits);
        Assert.Equal(encoder.GetBitLength(url, 0, url.Length, 10), e.BitsNeeded);
        Assert.True(e.BitsNeeded > e.CapacityBits);
        Assert.Contains("300 bytes need " + e.BitsNeeded + " bits, version 10-M holds " + e.CapacityBits, e.Message);
        Assert.Contains("lower error correction level", e.Message);
        Assert.Contains("higher maximum version", e.Message);
    }

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var encoder = new QrEncoder(10);
        byte[] data = Ascii("ABC");
        Assert.Throws<ArgumentOutOfRangeException>(() => new QrEncoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QrEncoder(41));
        Assert.Throws<ArgumentNullException>(() => encoder.Encode(null!, 0, 0, QrErrorCorrection.Low, 1, 10, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 2, 2, QrErrorCorrection.Low, 1, 10, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, -1, 1, QrErrorCorrection.Low, 1, 10, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, QrErrorCorrection.Low, 1, 11, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, QrErrorCorrection.Low, 0, 10, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, QrErrorCorrection.Low, 5, 4, -1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, QrErrorCorrection.Low, 1, 10, 8, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, (QrErrorCorrection)4, 1, 10, -1, false));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(data, 0, 3, QrErrorCorrection.Low, 1, 10, -2, false));
        Assert.Equal("mask", e.ParamName);
    }

    [Fact]
    public void Offset_selects_the_payload_inside_a_larger_buffer()
    {
        var encoder = new QrEncoder(5);
        byte[] buffer = Ascii("xxxxHELLO 123yyyy");
        QrCode code = encoder.Encode(buffer, 4, 9, QrErrorCorrection.Quartile, 1, 5, -1, false);
        Assert.Equal(Ascii("HELLO 123"), QrTestSupport.DecodeBytes(code, 3));
    }

    /// <summary>
    /// Section 7.8.3 end to end: for payloads from version 2 to 40, the mask the encoder chooses is the first of
    /// the 8 with the lowest penalty, each scored by the plain reference on the symbol encoded with that mask.
    /// Another payload of the same version goes first, so the choice is made on planes the encoder reuses.
    /// </summary>
    [Theory]
    [InlineData(24, QrErrorCorrection.Medium)]
    [InlineData(59, QrErrorCorrection.High)]
    [InlineData(59, QrErrorCorrection.Medium)]
    [InlineData(100, QrErrorCorrection.Low)]
    [InlineData(150, QrErrorCorrection.Medium)]
    [InlineData(300, QrErrorCorrection.Quartile)]
    [InlineData(700, QrErrorCorrection.Medium)]
    [InlineData(1500, QrErrorCorrection.Low)]
    [InlineData(2300, QrErrorCorrection.Low)]
    public void Chosen_mask_has_the_lowest_reference_penalty_of_the_eight(int urlBytes, QrErrorCorrection ecc)
    {
        var encoder = new QrEncoder(40);
        byte[] other = Ascii(QrTestSupport.AntomUrl(urlBytes, new Random(-urlBytes)));
        int otherVersion = encoder.Encode(other, 0, other.Length, ecc, 1, 40, -1, false).Version;
        byte[] url = Ascii(QrTestSupport.AntomUrl(urlBytes, new Random(urlBytes)));
        QrCode chosen = encoder.Encode(url, 0, url.Length, ecc, 1, 40, -1, false);
        int chosenMask = chosen.Mask;
        int version = chosen.Version;
        Assert.Equal(otherVersion, version);
        var scores = new int[8];
        for (int m = 0; m < 8; m++)
        {
            QrCode forced = encoder.Encode(url, 0, url.Length, ecc, version, version, m, false);
            scores[m] = QrPenaltyReference.Score(QrTestSupport.Snapshot(forced)).Score;
        }

        Assert.Equal(Array.IndexOf(scores, scores.Min()), chosenMask);
    }
}
