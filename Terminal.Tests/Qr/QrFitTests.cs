using Xunit;
using System.Text;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

/// <summary>
/// QrFit on the terminal's 128x64 OLED with a 2-module quiet zone. The 64-pixel side decides: scale 2 leaves
/// 32 modules, so at most version 2 (25 + 4 = 29); scale 1 leaves 64, so at most version 10 (57 + 4 = 61).
/// </summary>
public class QrFitTests
{
    private static readonly QrEncoder Encoder = new QrEncoder(40);

    [Theory]
    // "01234567": 41 bits fit version 1-H (72 bits) at scale 2.
    [InlineData("01234567", 2, 1, QrErrorCorrection.High)]
    // 20 digits: 4+10+67 = 81 bits: version 1-Q holds 104, 1-H 72, 2-H 128 -> 2-H at scale 2.
    [InlineData("12345678901234567890", 2, 2, QrErrorCorrection.High)]
    // The fixture codeValue: 449 bits. Version 2-L holds 272, so scale 1; there 6-H holds 480.
    [InlineData("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf", 1, 6, QrErrorCorrection.High)]
    // Host and 4 digits: 196 + 14 + 14 = 224 bits, exactly version 2-M's 28 data codewords.
    [InlineData("https://gqr.alipay.com/2810", 2, 2, QrErrorCorrection.Medium)]
    public void Picks_largest_scale_then_highest_level_on_128x64(string payload, int scale, int version, QrErrorCorrection ecc)
    {
        var fit = new QrFit(Encoder);
        byte[] data = Encoding.ASCII.GetBytes(payload);
        Assert.True(fit.TryFit(data, 0, data.Length, 128, 64, 2));
        Assert.Equal((scale, version, ecc), (fit.Scale, fit.Version, fit.ErrorCorrection));
        Assert.True((fit.SymbolSize + 2 * 2) * fit.Scale <= 64);

        // The choice encodes at that version and level, and reads back.
        QrCode code = Encoder.Encode(data, 0, data.Length, fit.ErrorCorrection, fit.Version, fit.Version, -1, false);
        Assert.Equal(data, QrTestSupport.DecodeBytes(code, 2));
    }

    [Fact]
    public void A_bigger_area_or_a_wider_quiet_zone_changes_the_choice()
    {
        var fit = new QrFit(Encoder);
        byte[] url = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        // 449 bits need version 4 (3-L holds 440): 33+8 = 41 modules, so scale 240/41 = 5. At scale 5, 48
        // modules allow version 5 (37+8 = 45), where Q holds 496 bits and H only 368.
        Assert.True(fit.TryFit(url, 0, url.Length, 240, 240, 4));
        Assert.Equal((5, 5, QrErrorCorrection.Quartile), (fit.Scale, fit.Version, fit.ErrorCorrection));
        Assert.True(fit.TryFit(url, 0, url.Length, 64, 128, 2));    // portrait is the same square
        Assert.Equal((1, 6, QrErrorCorrection.High), (fit.Scale, fit.Version, fit.ErrorCorrection));
    }

    [Fact]
    public void Too_long_for_the_area_is_false_and_keeps_the_last_result()
    {
        var fit = new QrFit(Encoder);
        byte[] small = Encoding.ASCII.GetBytes("01234567");
        Assert.True(fit.TryFit(small, 0, small.Length, 128, 64, 2));
        byte[] url = Encoding.ASCII.GetBytes(QrTestSupport.AntomUrl(400, new Random(1)));
        Assert.False(fit.TryFit(url, 0, url.Length, 128, 64, 2)); // needs version 12+, 65+ modules
        Assert.Equal((2, 1), (fit.Scale, fit.Version));
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.TryFit(url, 0, url.Length, 128, 64, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.TryFit(url, 0, url.Length, 0, 64, 2));
    }

    [Fact]
    public void The_encoders_maximum_version_bounds_the_fit()
    {
        // 449 bits: version 3-L holds 440, 4-M 512, 4-Q 384.
        byte[] url = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        Assert.False(new QrFit(new QrEncoder(3)).TryFit(url, 0, url.Length, 128, 64, 2));
        var four = new QrFit(new QrEncoder(4));
        Assert.True(four.TryFit(url, 0, url.Length, 128, 64, 2));
        Assert.Equal((1, 4, QrErrorCorrection.Medium), (four.Scale, four.Version, four.ErrorCorrection));
    }
}
