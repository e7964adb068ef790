using System.Diagnostics;
using Terminal.ConfigCheck;
using Xunit;

namespace Terminal.Tests.ConfigCheck;

/// <summary>
/// The check flash.ps1 runs on every terminal.json before it flashes or registers anything: the firmware's parser plus
/// the device's own checks, so that a file it passes is one the ESP32 starts with, and a file it refuses names the
/// property as the device would.
/// </summary>
public sealed class FileCheckTests
{
    private const string Key32 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static string File(string members = "", string gateway = "https://gw.example.com:8443", string wifi = "\"wifiSsid\":\"shop\",") =>
        "{\"deviceId\":\"T1\",\"keyVersion\":1,\"key\":\"" + Key32 + "\",\"gatewayUrl\":\"" + gateway + "\"," + wifi
        + "\"currency\":\"USD\",\"hostLinkTx\":4,\"hostLinkRx\":5" + members + "}";

    [Fact]
    public void A_file_the_device_starts_with_passes()
    {
        Assert.Null(FileCheck.Problem(File()));
        Assert.Null(FileCheck.Problem(File(",\"board\":\"wrover\",\"scannerTx\":27,\"scannerRx\":26,\"displayAddress\":\"0x3D\"")));
    }

    [Theory]
    [InlineData(",\"board\":\"WROOM\"", "board: must be \"wroom\" or \"wrover\"")]
    [InlineData(",\"display\":\"SH1106\"", "display: must be")]
    [InlineData(",\"displayAddress\":\"0x3c\"", "displayAddress: must be \"0x3C\" or \"0x3D\"")]
    [InlineData(",\"board\":\"wrover\"", "scannerTx: GPIO17 is wired to the PSRAM on WROVER boards")]
    [InlineData(",\"scannerTx\":21", "i2cSda: GPIO21 is also set for scannerTx")]
    [InlineData(",\"cpmBudgetMs\":1000", "cpmBudgetMs: must be at least pollIntervalMs")]
    public void The_parsers_refusals_come_through_naming_the_property(string members, string problem)
    {
        Assert.StartsWith(problem, FileCheck.Problem(File(members)));
    }

    [Fact]
    public void The_device_only_checks_apply()
    {
        Assert.StartsWith("wifiSsid: required on the device", FileCheck.Problem(File(wifi: "")));
        Assert.StartsWith("gatewayUrl: the device talks to the gateway over https only", FileCheck.Problem(File(gateway: "http://127.0.0.1:8080")));
        Assert.StartsWith("gatewayUrl: the gateway URL must name a host", FileCheck.Problem(File(gateway: "https://gw_1.example.com")));
        string withoutHostLinkPins = File().Replace(",\"hostLinkTx\":4,\"hostLinkRx\":5", ",\"scannerTx\":4");
        Assert.StartsWith("hostLinkTx: absent, so the host link takes GPIO4/GPIO5", FileCheck.Problem(withoutHostLinkPins));
    }

    [Fact]
    public void A_keypad_expander_leaves_the_oleds_addresses_and_the_other_parts_pins_alone()
    {
        Assert.Null(FileCheck.Problem(File(",\"keypad\":\"pcf8574\",\"keypadAddress\":32")));
        Assert.Null(FileCheck.Problem(File(",\"keypad\":\"pcf8574\",\"keypadAddress\":62")));
        Assert.StartsWith("keypadAddress: 0x3C and 0x3D are the OLED's addresses", FileCheck.Problem(File(",\"keypad\":\"pcf8574\",\"keypadAddress\":60")));
        Assert.StartsWith("keypadAddress: 0x3C and 0x3D are the OLED's addresses", FileCheck.Problem(File(",\"keypad\":\"pcf8574\",\"keypadAddress\":61")));

        // Beside a colour TFT the parser claims no I2C pins; the keypad still needs them free.
        const string Tft = ",\"display\":\"st7789\",\"keypad\":\"pcf8574\"";
        Assert.Null(FileCheck.Problem(File(Tft + ",\"keypadAddress\":60")));
        Assert.StartsWith("i2cSda: the keypad's I2C pins GPIO21/GPIO22 are set for another part", FileCheck.Problem(File(Tft + ",\"buzzerPin\":22")));
        Assert.Null(FileCheck.Problem(File(",\"display\":\"st7789\",\"buzzerPin\":22")));
    }

    [Fact]
    public void The_pin_command_answers_with_the_firmwares_own_pin_check()
    {
        string input = Path.Combine(Path.GetTempPath(), "configcheck-pin-" + Guid.NewGuid().ToString("N") + ".json");
        System.IO.File.WriteAllText(input, File(",\"menuPin\":\"" + Countertop.PinTests.Configured("4711", 2000) + "\""));
        try
        {
            Assert.Equal((0, "accepted"), Trimmed(RunWithInput("4711\n", "pin", input)));
            Assert.Equal((1, "wrong"), Trimmed(RunWithInput("4712\n", "pin", input)));
            System.IO.File.WriteAllText(input, File());
            Assert.Equal((1, "not set"), Trimmed(RunWithInput("4711\n", "pin", input)));
            System.IO.File.WriteAllText(input, File(",\"menuPin\":\"4711\""));
            Assert.Equal((1, "error menuPin: must start with pbkdf2-sha256$"), Trimmed(RunWithInput("4711\n", "pin", input)));
        }
        finally
        {
            System.IO.File.Delete(input);
        }
    }

    [Fact]
    public void The_check_command_answers_one_line_per_document_and_fails_when_any_is_refused()
    {
        string input = Path.Combine(Path.GetTempPath(), "configcheck-" + Guid.NewGuid().ToString("N") + ".jsonl");
        System.IO.File.WriteAllLines(input, [File(), "", File(",\"currency\":\"RMB\"").Replace("\"currency\":\"USD\",", string.Empty)]);
        try
        {
            (int exit, string output) = Run("check", input);
            Assert.Equal(1, exit);
            Assert.Equal(["ok", "error currency: a known ISO 4217 code of 3 upper-case letters, e.g. \"USD\""], output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));

            System.IO.File.WriteAllLines(input, [File()]);
            Assert.Equal((0, "ok"), Trimmed(Run("check", input)));
            Assert.Equal(2, Run("check", input + ".missing").Exit);
            Assert.Equal(2, Run("unknown").Exit);
        }
        finally
        {
            System.IO.File.Delete(input);
        }
    }

    private static (int Exit, string Output) Trimmed((int Exit, string Output) result) => (result.Exit, result.Output.Trim());

    /// <summary>Runs the command as flash.ps1 does: <c>dotnet Terminal.ConfigCheck.dll ...</c>.</summary>
    private static (int Exit, string Output) Run(params string[] arguments) => RunWithInput(string.Empty, arguments);

    /// <summary>Runs the command as flash.ps1 does, <c>dotnet Terminal.ConfigCheck.dll ...</c>, with <paramref name="input"/> on its standard input.</summary>
    private static (int Exit, string Output) RunWithInput(string input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Terminal.ConfigCheck.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
