using System.Text;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Xunit;

namespace Terminal.Tests.Config;

/// <summary>
/// Sections live with their capabilities, in any assembly, and the reader of Terminal.Core reads a file into
/// whichever sections a configuration lists: what a new capability (a printer, a keypad) relies on to join without
/// touching the lower assemblies.
/// </summary>
public sealed class ConfigSectionsTests
{
    /// <summary>A capability's section as one outside Terminal.Core and Terminal.Firmware would define it.</summary>
    private sealed class PrinterSection : ConfigSection
    {
        public PrinterSection()
            : base("printer")
        {
            Tx = -1;
            Copies = 1;
        }

        public int Tx { get; set; }

        public int Copies { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Pin("printerTx", true, Tx, v => Tx = (int)v);
            rules.Integer("receiptCopies", 0, 3, Copies, false, v => Copies = (int)v);
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Claim("printerTx", Tx);
        }
    }

    private static void Read(string json, params ConfigSection[] sections)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        ConfigReader.Read(bytes, 0, bytes.Length, sections);
    }

    [Fact]
    public void A_section_defined_elsewhere_reads_its_keys_and_ignores_the_others()
    {
        var printer = new PrinterSection();

        Read("""{"printerTx":4,"receiptCopies":2,"deviceId":"T1"}""", printer);

        Assert.Equal((4, 2), (printer.Tx, printer.Copies));
        Assert.Equal(new[] { "printerTx", "receiptCopies" }, Keys(ConfigRules.Of([printer])));
    }

    [Fact]
    public void Its_rules_check_its_values_and_its_pins_join_the_one_pin_check()
    {
        var board = new BoardSection();
        var printer = new PrinterSection();

        Assert.Equal("receiptCopies", Assert.Throws<ConfigException>(() => Read("""{"receiptCopies":4}""", new PrinterSection())).Property);

        // The board section tells the pin check that GPIO16/17 belong to the PSRAM on a WROVER.
        ConfigException psram = Assert.Throws<ConfigException>(() => Read("""{"board":"wrover","printerTx":16}""", board, printer));
        Assert.Equal("printerTx", psram.Property);
        Assert.Contains("PSRAM", psram.Message);

        // Negative control: the same pin on a WROOM is free.
        Read("""{"board":"wroom","printerTx":16}""", new BoardSection(), new PrinterSection());
    }

    [Fact]
    public void The_terminals_rules_are_its_sections_rules_in_order()
    {
        var config = new TerminalConfig();
        string[] sectionNames = config.Sections.Select(s => s.Name).ToArray();

        Assert.Equal(new[] { "device", "network", "board", "display", "scanner", "hostLink", "engine", "merchant", "vending", "deviceLink", "keypad", "buzzer", "printer", "menu", "updates" }, sectionNames);
        Assert.Equal(Keys(ConfigRules.Of(config.Sections)), Keys(TerminalConfig.Rules()));
    }

    [Fact]
    public void The_payments_part_is_the_same_sections_the_file_was_read_into()
    {
        byte[] json = Encoding.UTF8.GetBytes("""
            {"deviceId":"T0001","keyVersion":1,"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
             "gatewayUrl":"https://gw.example.com","currency":"EUR","terminalId":"POS9","httpTimeoutMs":5000}
            """);

        TerminalConfig config = TerminalConfigParser.Parse(json, 0, json.Length);

        Assert.Same(config.Device, config.Payments.Device);
        Assert.Same(config.Network, config.Payments.Network);
        Assert.Same(config.Engine, config.Payments.Engine);
        Assert.Same(config.Merchant, config.Payments.Merchant);
        Assert.Equal(("EUR", 5000, "POS9"), (config.Payments.Engine.Currency, config.Payments.Network.HttpTimeoutMs, config.Payments.EffectiveTerminalId));
    }

    private static string[] Keys(ConfigRules rules) => Enumerable.Range(0, rules.Count).Select(i => rules[i].Key).ToArray();
}
