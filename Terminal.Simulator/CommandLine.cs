using System.Globalization;
using Terminal.Core.Ports;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Rendering;

namespace Terminal.Simulator;

/// <summary>The parsed command line (see Program's usage text). Bad input throws ArgumentException naming the option.</summary>
internal sealed class CommandLine
{
    public string Command { get; private set; } = "interactive";

    public int ChaosSales { get; private set; }

    public int FigureVends { get; private set; }

    public string? DataFolder { get; private set; }

    public string DeviceId { get; private set; } = "SIM0001";

    public string? GatewayUrl { get; private set; }

    public string? KeyFile { get; private set; }

    public int KeyVersion { get; private set; } = 1;

    public string? CaFile { get; private set; }

    public string? ScannerPort { get; private set; }

    public int ScannerBaud { get; private set; } = 9600;

    public string? HostLinkPort { get; private set; }

    public string? CodeFile { get; private set; }

    public int HostLinkBaud { get; private set; } = 115200;

    public PictureStyle? Style { get; private set; }

    /// <summary>The display fitted (--display); null: what terminal.json says.</summary>
    public string? Display { get; private set; }

    public bool Log { get; private set; }

    public bool BackendLog { get; private set; }

    public double FaultRate { get; private set; } = 0.2;

    public double NetworkDropRate { get; private set; } = 0.05;

    public int Seed { get; private set; } = 1;

    public bool Table { get; private set; }

    public string? Vending { get; private set; }

    public static CommandLine Parse(string[] args)
    {
        var cl = new CommandLine();
        int i = 0;
        if (i < args.Length && !args[i].StartsWith("--", StringComparison.Ordinal))
        {
            cl.Command = args[i++] switch
            {
                "demo" => "demo",
                "chaos" => "chaos",
                "vending-figures" => "vending-figures",
                "ota-chaos" => "ota-chaos",
                "selftest" => "selftest",
                "help" or "-h" => "help",
                "interactive" => "interactive",
                string other => throw new ArgumentException($"unknown command \"{other}\""),
            };
            if (cl.Command == "chaos")
            {
                if (i >= args.Length || !int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1_000_000)
                {
                    throw new ArgumentException("chaos needs the number of sales, e.g. chaos 1000");
                }

                cl.ChaosSales = n;
                i++;
            }

            if (cl.Command == "vending-figures")
            {
                cl.FigureVends = 50;
                if (i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= 10_000)
                {
                    cl.FigureVends = n;
                    i++;
                }
            }
        }

        while (i < args.Length)
        {
            string option = args[i++];
            string Value() => i < args.Length ? args[i++] : throw new ArgumentException(option + " needs a value");
            switch (option)
            {
                case "--data": cl.DataFolder = Value(); break;
                case "--device-id": cl.DeviceId = DeviceIdValue(Value()); break;
                case "--gateway-url": cl.GatewayUrl = UrlValue(Value()); break;
                case "--key-file": cl.KeyFile = Value(); break;
                case "--key-version": cl.KeyVersion = IntValue(option, Value(), 1, 1_000_000); break;
                case "--ca-file": cl.CaFile = Value(); break;
                case "--scanner-port": cl.ScannerPort = Value(); break;
                case "--scanner-baud": cl.ScannerBaud = IntValue(option, Value(), 1200, 921600); break;
                case "--hostlink-port": cl.HostLinkPort = Value(); break;
                case "--codes": cl.CodeFile = FileValue(option, Value()); break;
                case "--hostlink-baud": cl.HostLinkBaud = IntValue(option, Value(), 1200, 921600); break;
                case "--oled": cl.Style = Value() switch { "full" => PictureStyle.Full, "compact" => PictureStyle.Compact, _ => throw new ArgumentException("--oled is full or compact") }; break;
                case "--display": cl.Display = DisplayValue(Value()); break;
                case "--log": cl.Log = true; break;
                case "--backend-log": cl.BackendLog = true; break;
                case "--faults": cl.FaultRate = RateValue(Value()); break;
                case "--drops": cl.NetworkDropRate = DropRateValue(Value()); break;
                case "--seed": cl.Seed = IntValue(option, Value(), 0, int.MaxValue); break;
                case "--table": cl.Table = true; break;
                case "--vending": cl.Vending = Value() switch { "pulse" => "pulse", "mdb" => "mdb", _ => throw new ArgumentException("--vending is pulse or mdb") }; break;
                case "--help": cl.Command = "help"; break;
                default: throw new ArgumentException($"unknown option \"{option}\"");
            }
        }

        if (cl.GatewayUrl != null && cl.KeyFile == null)
        {
            throw new ArgumentException("--gateway-url needs --key-file with the device key the gateway issued");
        }

        if (cl.KeyFile != null && cl.GatewayUrl == null)
        {
            throw new ArgumentException("--key-file goes with --gateway-url");
        }

        return cl;
    }

    public SessionOptions SessionOptions() => new()
    {
        DataFolder = DataFolder ?? "data",
        DeviceId = DeviceId,
        GatewayUrl = GatewayUrl,
        KeyFile = KeyFile,
        KeyVersion = KeyVersion,
        CaFile = CaFile,
        ScannerPort = ScannerPort,
        ScannerBaud = ScannerBaud,
        HostLinkPort = HostLinkPort,
        HostLinkBaud = HostLinkBaud,
        CodeFile = CodeFile,
        Display = Display,
        LogToConsole = Log,
        LogLevel = Log ? LogLevel.Debug : LogLevel.Info,
        BackendLog = BackendLog,
        Vending = Vending,
    };

    public ChaosOptions ChaosOptions(string tempFolder) => new()
    {
        Sales = ChaosSales,
        FaultRate = FaultRate,
        NetworkDropRate = NetworkDropRate,
        Seed = Seed,
        DataFolder = tempFolder,
        PrintTable = Table,
    };

    private static string FileValue(string option, string path) =>
        File.Exists(path) ? path : throw new ArgumentException($"{option}: no file \"{path}\"");

    private static int IntValue(string option, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{option} must be a whole number from {min} to {max}, got \"{text}\"");

    private static double RateValue(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) && v >= 0 && v <= 0.9
            ? v
            : throw new ArgumentException($"--faults is a share from 0 to 0.9, e.g. 0.2; got \"{text}\"");

    private static double DropRateValue(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) && v >= 0 && v <= 0.5
            ? v
            : throw new ArgumentException($"--drops is a share from 0 to 0.5, e.g. 0.05; got \"{text}\"");

    private static string DisplayValue(string text) =>
        text is "ssd1306" or "sh1106" or "st7789" or "ili9341"
            ? text
            : throw new ArgumentException($"--display is ssd1306, sh1106, st7789 or ili9341, got \"{text}\"");

    private static string DeviceIdValue(string text) =>
        text.Length is > 0 and <= 32 && text.All(char.IsAsciiLetterOrDigit)
            ? text
            : throw new ArgumentException($"--device-id is 1 to 32 letters and digits, got \"{text}\"");

    private static string UrlValue(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? text.TrimEnd('/')
            : throw new ArgumentException($"--gateway-url must be an https:// URL, got \"{text}\"");
}
