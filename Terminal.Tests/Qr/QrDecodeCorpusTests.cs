using Xunit;
using System.Text;
using Terminal.Drivers.Qr;

namespace Terminal.Tests.Qr;

/// <summary>
/// Every symbol of a corpus is rendered to a luminance image and read back by ZXing.Net, an independent
/// decoder (its own detector, Reed-Solomon decoder and segment parser), to the exact payload bytes.
/// </summary>
public class QrDecodeCorpusTests
{
    private static readonly QrEncoder Encoder = new QrEncoder(40);

    public static IEnumerable<object[]> Corpus()
    {
        var random = new Random(6);
        int[] urlLengths = [23, 30, 41, 59, 60, 77, 100, 150, 230, 300, 500, 800, 1200, 1663, 2048];
        foreach (int length in urlLengths)
        {
            yield return ["url" + length, Encoding.ASCII.GetBytes(QrTestSupport.AntomUrl(length, random))];
        }

        yield return ["url10", Encoding.ASCII.GetBytes("https://a.b")[..10]];
        yield return ["numeric1", Encoding.ASCII.GetBytes("7")];
        yield return ["numeric8", Encoding.ASCII.GetBytes("01234567")];
        yield return ["numeric41", Encoding.ASCII.GetBytes(Digits(random, 41))];
        yield return ["numeric700", Encoding.ASCII.GetBytes(Digits(random, 700))];
        yield return ["numeric7089", Encoding.ASCII.GetBytes(Digits(random, 7089))];
        yield return ["alnum", Encoding.ASCII.GetBytes("HTTPS://GQR.ALIPAY.COM/281017040012RQWV0CH7G7Q5AZ5AZJOV4IGF")];
        yield return ["alnum4296", Encoding.ASCII.GetBytes(Alphanumeric(random, 4296))];
        yield return ["utf8-text", Encoding.UTF8.GetBytes("Paid ¥12.50 — 谢谢 / Merci ✓ 2810 17040012")];
        yield return ["utf8-emoji", Encoding.UTF8.GetBytes("Order 0042 😀 Grüße aus Zürich: 1234567890")];
        yield return ["mixed", Encoding.ASCII.GetBytes("amount=000000012345&currency=USD&ref=ABC-123-XYZ/99")];
        yield return ["binary", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()];
        yield return ["empty", Array.Empty<byte>()];
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_level_that_fits_decodes_to_the_exact_bytes(string name, byte[] payload)
    {
        int decoded = 0;
        for (int e = 0; e < 4; e++)
        {
            var ecc = (QrErrorCorrection)e;
            if (!Encoder.TryEncode(payload, 0, payload.Length, ecc, 1, 40, -1, false, out QrCode? code))
            {
                continue;
            }

            int scale = 2 + (payload.Length + e) % 3;
            byte[] back = QrTestSupport.DecodeBytes(code!, scale);
            Assert.True(payload.AsSpan().SequenceEqual(back), $"{name} {code!.Version}-{ecc} mask {code.Mask}: decoded bytes differ");
            decoded++;
        }

        Assert.True(decoded > 0, name + " fit no level");
    }

    [Fact]
    public void Random_payloads_levels_and_masks_decode()
    {
        // Random bytes drawn from digit, alphanumeric and any-byte runs, so every mode and switch occurs.
        var random = new Random(1804);
        for (int trial = 0; trial < 60; trial++)
        {
            int length = random.Next(0, 400);
            var payload = new byte[length];
            for (int i = 0; i < length;)
            {
                int kind = random.Next(3);
                for (int run = 1 + random.Next(15); run > 0 && i < length; run--, i++)
                {
                    payload[i] = kind switch
                    {
                        0 => (byte)('0' + random.Next(10)),
                        1 => (byte)"ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"[random.Next(35)],
                        _ => (byte)random.Next(256),
                    };
                }
            }

            var ecc = (QrErrorCorrection)random.Next(4);
            int mask = random.Next(-1, 8);
            if (!Encoder.TryEncode(payload, 0, length, ecc, 1, 40, mask, random.Next(2) == 0, out QrCode? code))
            {
                continue;
            }

            Assert.True(mask == -1 || code!.Mask == mask);
            Assert.True(payload.AsSpan().SequenceEqual(QrTestSupport.DecodeBytes(code!, 2)), $"trial {trial}: {code!.Version}-{code.ErrorCorrection} mask {code.Mask}");
        }
    }

    [Fact]
    public void Utf8_text_reads_back_as_the_same_string()
    {
        const string text = "Paid ¥12.50 — 谢谢 / Merci ✓ 😀";
        byte[] payload = Encoding.UTF8.GetBytes(text);
        QrCode code = Encoder.Encode(payload, 0, payload.Length, QrErrorCorrection.Medium, 1, 40, -1, false);
        byte[] pixels = QrTestSupport.Render(code, 3, 4, out int width);
        var result = QrTestSupport.Decode(pixels, width, "UTF-8");
        Assert.NotNull(result);
        Assert.Equal(text, result!.Text);
    }

    [Fact]
    public void Every_mask_and_version_decodes()
    {
        // All 8 masks on a small and a version-information-bearing symbol, at every level.
        byte[] payload = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        foreach (int version in new[] { 7, 10, 27 })
        {
            for (int mask = 0; mask < 8; mask++)
            {
                var ecc = (QrErrorCorrection)(mask % 4);
                QrCode code = Encoder.Encode(payload, 0, payload.Length, ecc, version, version, mask, false);
                Assert.Equal((version, mask, ecc), (code.Version, code.Mask, code.ErrorCorrection));
                Assert.Equal(payload, QrTestSupport.DecodeBytes(code, 2));
            }
        }
    }

    [Fact]
    public void Negative_control_a_flipped_format_module_breaks_decoding_of_a_wrong_mask()
    {
        // The decode assertion can fail: the same modules under a format word naming another mask do not
        // read back as the payload.
        byte[] payload = Encoding.ASCII.GetBytes(QrTestSupport.AntomUrl(59, new Random(1)));
        QrCode code = Encoder.Encode(payload, 0, payload.Length, QrErrorCorrection.Low, 1, 40, 3, false);
        bool[][] modules = QrTestSupport.Snapshot(code);
        var wrong = new QrEncoder(40);
        QrCode other = wrong.Encode(payload, 0, payload.Length, QrErrorCorrection.Low, code.Version, code.Version, 4, false);
        bool[][] otherModules = QrTestSupport.Snapshot(other);

        // Keep our data modules, paste the other symbol's format information (mask 4) over ours.
        foreach (var (x, y) in FormatPositions(code.Size))
        {
            modules[y][x] = otherModules[y][x];
        }

        var matrix = new Grid(modules);
        byte[] pixels = QrTestSupport.Render(matrix, 3, 4, out int width);
        var result = QrTestSupport.Decode(pixels, width, "ISO-8859-1");
        Assert.True(result == null || Encoding.Latin1.GetBytes(result.Text).AsSpan().SequenceEqual(payload) == false);
    }

    internal static IEnumerable<(int X, int Y)> FormatPositions(int size)
    {
        for (int i = 0; i < 9; i++)
        {
            yield return (8, i);
            yield return (i, 8);
        }

        for (int i = 0; i < 8; i++)
        {
            yield return (size - 1 - i, 8);
            yield return (8, size - 1 - i);
        }
    }

    private static string Digits(Random random, int count) =>
        new string(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))).ToArray());

    private static string Alphanumeric(Random random, int count)
    {
        const string set = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        return new string(Enumerable.Range(0, count).Select(_ => set[random.Next(set.Length)]).ToArray());
    }
}

/// <summary>A module matrix over a bool grid (rows), for tampered copies.</summary>
internal sealed class Grid(bool[][] rows) : Terminal.Drivers.Display.IModuleMatrix
{
    public int Size => rows.Length;

    public bool IsDark(int x, int y) => rows[y][x];
}
