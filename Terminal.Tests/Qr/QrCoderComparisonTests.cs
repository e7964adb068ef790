using Xunit;
using System.Text;
using QRCoder;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

/// <summary>
/// Module-for-module comparison with QRCoder 1.8.1, an independent encoder.
/// <para>
/// Mask: QRCoder cannot be told the mask; it picks its own with a penalty that differs from ours in rule 3
/// (only the 11-module window 1011101 0000 inside the symbol: no 1:1:3:1:1 at other widths, no quiet
/// zone) and at rule 4's boundaries. So we read the mask QRCoder chose from its format information and force
/// ours to it. Version: its string overload takes requestedVersion; its byte[] overload picks the smallest.
/// Segments: its string overload segments on its own (for "https://gqr.alipay.com/2810..." it sends
/// "/281017040012" as alphanumeric, 23 bits longer than our numeric run), its byte[] overload sends one byte
/// segment. So we compare numeric and alphanumeric texts through the string overload at forced versions,
/// byte payloads through the byte[] overload, and run our encoder with its single-segment test hook.
/// Optimal segmentation itself is checked by decoding (QrDecodeCorpusTests) and by brute force (QrSegmenterTests).
/// </para>
/// </summary>
public class QrCoderComparisonTests
{
    public static IEnumerable<object[]> TextCases()
    {
        var random = new Random(18004);
        string[] texts =
        [
            "01234567",
            new string(Enumerable.Range(0, 200).Select(_ => (char)('0' + random.Next(10))).ToArray()),
            new string('7', 1500),
            "HTTPS://GQR.ALIPAY.COM/281017040012RQWV0CH7G7Q5AZ5AZJOV4IGF",
            QrTestSupport.AntomUrl(300, random).ToUpperInvariant(),
        ];
        int i = 0;
        foreach (string text in texts)
        {
            for (int e = 0; e < 4; e++)
            {
                i++;
                yield return [text, (QrErrorCorrection)e, 0];          // the smallest version
                yield return [text, (QrErrorCorrection)e, i % 5 + 1];  // a forced larger version
            }
        }
    }

    public static IEnumerable<object[]> ByteCases()
    {
        var random = new Random(2810);
        foreach (int length in new[] { 23, 59, 60, 150, 300, 700, 1200, 2048 })
        {
            for (int e = 0; e < 4; e++)
            {
                yield return ["url" + length, Encoding.ASCII.GetBytes(QrTestSupport.AntomUrl(length, random)), (QrErrorCorrection)e];
            }
        }

        yield return ["binary", Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray(), QrErrorCorrection.Medium];
    }

    [Theory]
    [MemberData(nameof(TextCases))]
    public void Numeric_and_alphanumeric_matrices_equal_QRCoder_at_forced_version_level_and_mask(string text, QrErrorCorrection ecc, int extraVersions)
    {
        var encoder = new QrEncoder(40) { SingleSegment = true };
        byte[] payload = Encoding.ASCII.GetBytes(text);
        if (!encoder.TryEncode(payload, 0, payload.Length, ecc, 1, 40, -1, false, out QrCode? smallest))
        {
            return; // too long for this level in any version: nothing to compare
        }

        int version = Math.Min(40, smallest!.Version + extraVersions);
        using var generator = new QRCodeGenerator();
        QRCodeData theirs = generator.CreateQrCode(text, QrTestSupport.ToQrCoder(ecc), false, false, QRCodeGenerator.EciMode.Default, version);
        AssertSameModules(encoder, payload, ecc, version, theirs);
    }

    [Theory]
    [MemberData(nameof(ByteCases))]
    public void Byte_mode_matrices_equal_QRCoder_at_the_same_version_level_and_mask(string name, byte[] payload, QrErrorCorrection ecc)
    {
        var encoder = new QrEncoder(40) { SingleSegment = true };
        if (!encoder.TryEncode(payload, 0, payload.Length, ecc, 1, 40, -1, false, out QrCode? smallest))
        {
            return;
        }

        using var generator = new QRCodeGenerator();
        QRCodeData theirs = generator.CreateQrCode(payload, QrTestSupport.ToQrCoder(ecc));
        Assert.True(smallest!.Version == theirs.Version, $"{name}: smallest version {smallest.Version}, QRCoder {theirs.Version}");
        AssertSameModules(encoder, payload, ecc, theirs.Version, theirs);
    }

    private static void AssertSameModules(QrEncoder encoder, byte[] payload, QrErrorCorrection ecc, int version, QRCodeData theirs)
    {
        Assert.Equal(version, theirs.Version);
        bool[][] expected = QrTestSupport.QrCoderMatrix(theirs);
        var (theirEcc, theirMask) = QrTestSupport.ReadFormat(expected);
        Assert.Equal(ecc, theirEcc);

        QrCode ours = encoder.Encode(payload, 0, payload.Length, ecc, version, version, theirMask, false);
        bool[][] actual = QrTestSupport.Snapshot(ours);
        Assert.True(expected.Length == actual.Length, "sizes differ");
        string diff = QrTestSupport.Diff(expected, actual);
        Assert.True(diff.Length == 0, $"{version}-{ecc} mask {theirMask}: modules differ at {diff}");
    }

    [Fact]
    public void Negative_control_one_flipped_module_or_another_mask_is_detected()
    {
        byte[] payload = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        var encoder = new QrEncoder(40) { SingleSegment = true };
        using var generator = new QRCodeGenerator();
        QRCodeData theirs = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        bool[][] expected = QrTestSupport.QrCoderMatrix(theirs);
        int theirMask = QrTestSupport.ReadFormat(expected).Mask;

        QrCode ours = encoder.Encode(payload, 0, payload.Length, QrErrorCorrection.Medium, theirs.Version, theirs.Version, theirMask, false);
        bool[][] flipped = QrTestSupport.Snapshot(ours);
        Assert.Equal("", QrTestSupport.Diff(expected, flipped));
        flipped[20][21] = !flipped[20][21];
        Assert.Equal("(21,20) ", QrTestSupport.Diff(expected, flipped));

        QrCode otherMask = encoder.Encode(payload, 0, payload.Length, QrErrorCorrection.Medium, theirs.Version, theirs.Version, (theirMask + 1) % 8, false);
        Assert.NotEqual("", QrTestSupport.Diff(expected, QrTestSupport.Snapshot(otherMask)));

        // Our optimal segmentation is a different (shorter) bit stream, so its modules differ too.
        var optimal = new QrEncoder(40);
        QrCode mixed = optimal.Encode(payload, 0, payload.Length, QrErrorCorrection.Medium, theirs.Version, theirs.Version, theirMask, false);
        Assert.NotEqual("", QrTestSupport.Diff(expected, QrTestSupport.Snapshot(mixed)));
    }
}
