using System.Text;
using Terminal.Drivers.Qr;

namespace Terminal.Benchmarks.Qr;

/// <summary>
/// `dotnet run -c Release --project Terminal.Benchmarks -- qr-fit`: the longest Antom-style URL that
/// QrFit shows at 2 and 3 pixels per module on the 128x64 OLED with a 2-module quiet zone, and the level it picks.
/// </summary>
internal static class QrFitReport
{
    public static void Print()
    {
        var encoder = new QrEncoder(40);
        var fit = new QrFit(encoder);
        Console.WriteLine("| px/module | token | longest URL (bytes) | version | EC level | bits used / capacity |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int scale in new[] { 1, 2, 3 })
        {
            foreach (bool lowercase in new[] { false, true })
            {
                int longest = 0;
                int version = 0;
                var level = QrErrorCorrection.Low;
                int bits = 0;
                for (int length = AntomUrls.Host.Length; length <= 2048; length++)
                {
                    // Worst of 20 different tokens of this length: a URL must fit whatever its token.
                    bool all = true;
                    int worstVersion = 0;
                    var worstLevel = QrErrorCorrection.High;
                    int worstBits = 0;
                    for (int seed = 0; seed < 20 && all; seed++)
                    {
                        byte[] url = Encoding.ASCII.GetBytes(AntomUrls.Make(length, seed, lowercase));
                        all = fit.TryFit(url, 0, url.Length, 128, 64, 2) && fit.Scale >= scale;
                        if (all && (fit.ErrorCorrection < worstLevel || fit.Version > worstVersion))
                        {
                            worstVersion = Math.Max(worstVersion, fit.Version);
                            worstLevel = fit.ErrorCorrection < worstLevel ? fit.ErrorCorrection : worstLevel;
                            worstBits = Math.Max(worstBits, encoder.GetBitLength(url, 0, url.Length, fit.Version));
                        }
                    }

                    if (!all)
                    {
                        break;
                    }

                    (longest, version, level, bits) = (length, worstVersion, worstLevel, worstBits);
                }

                string token = lowercase ? "a-z only" : "base-62";
                Console.WriteLine(longest == 0
                    ? $"| {scale} | {token} | none (version 1 + 2x2 quiet modules = {25 * scale} px > 64) | - | - | - |"
                    : $"| {scale} | {token} | {longest} | {version} | {Letter(level)} | {bits} / {QrEncoder.GetCapacityBits(version, level)} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Level QrFit picks at 2 px/module, by URL length (base-62 token, worst of 20):");
        for (int length = AntomUrls.Host.Length; length <= 36; length++)
        {
            var worst = QrErrorCorrection.High;
            for (int seed = 0; seed < 20; seed++)
            {
                byte[] url = Encoding.ASCII.GetBytes(AntomUrls.Make(length, seed));
                fit.TryFit(url, 0, url.Length, 128, 64, 2);
                worst = fit.ErrorCorrection < worst ? fit.ErrorCorrection : worst;
            }

            Console.Write($"{length}:{Letter(worst)} ");
        }

        Console.WriteLine();
        byte[] fixture = Encoding.ASCII.GetBytes("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf");
        fit.TryFit(fixture, 0, fixture.Length, 128, 64, 2);
        Console.WriteLine();
        Console.WriteLine($"Fixture codeValue ({fixture.Length} bytes): scale {fit.Scale}, version {fit.Version}-{Letter(fit.ErrorCorrection)}, "
            + $"{encoder.GetBitLength(fixture, 0, fixture.Length, fit.Version)} bits.");
    }

    private static string Letter(QrErrorCorrection e) => "LMQH"[(int)e].ToString();
}
