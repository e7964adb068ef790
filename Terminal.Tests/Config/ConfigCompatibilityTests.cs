using System.Text;
using CsCheck;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Terminal.Simulator.Backend;
using Terminal.Tests.Config.Legacy;
using Xunit;

namespace Terminal.Tests.Config;

/// <summary>
/// terminal.json keeps its format across the split into sections: every file the writers produce (flash.ps1, the
/// simulator, the documentation) and thousands of generated files, good and bad, are accepted or refused exactly as
/// the parser before sections (<see cref="LegacyConfigParser"/>) did, and an accepted file reads to the same 35
/// values.
/// </summary>
public sealed class ConfigCompatibilityTests
{
    private const string Key32 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    // Every key the legacy parser knows, with values to try: the first ones valid, the others (after a null) not.
    private static readonly (string Key, string?[] Values)[] Keys =
    {
        ("deviceId", ["\"T0001\"", "\"A\"", "\"" + new string('z', 32) + "\"", null, "\"T-0001\"", "\"" + new string('z', 33) + "\"", "5", "\"\""]),
        ("keyVersion", ["1", "7", "\"12\"", "2147483647", null, "0", "2147483648", "1.5", "true", "\"x\""]),
        ("key", ["\"" + Key32 + "\"", null, "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\"", "\"not base64 at all but 44 characters long!!!\"", "12", "\"\""]),
        ("gatewayUrl", ["\"https://gw.example.com:8443/\"", "\"http://127.0.0.1:5000\"", "\"https://gw\"", null, "\"ftp://gw\"", "\"https:///path\"", "\"https://a b\"", "\"https://\""]),
        ("currency", ["\"USD\"", "\"JPY\"", "\"EUR\"", null, "\"usd\"", "\"USDT\"", "\"QQQ\"", "840"]),
        ("caCertificate", ["\"I:\\\\gateway-ca.pem\"", "\"ca.pem\"", null, "\"\"", "\"" + new string('c', 129) + "\""]),
        ("wifiSsid", ["\"shop-wifi\"", "\"" + new string('s', 32) + "\"", null, "\"\"", "\"tab\\there\"", "\"" + new string('s', 33) + "\""]),
        ("wifiPassword", ["\"\"", "\"secret pass\"", "\"" + new string('p', 64) + "\"", null, "\"" + new string('p', 65) + "\"", "1"]),
        ("displayName", ["\"\"", "\"Counter 1\"", "\"Café\"", null, "\"" + new string('d', 33) + "\""]),
        ("board", ["\"wroom\"", "\"wrover\"", null, "\"esp32\"", "\"\"", "\"WROOM\""]),
        ("display", ["\"ssd1306\"", "\"sh1106\"", null, "\"ssd1309\"", "\"\""]),
        ("i2cSda", Pins("21")),
        ("i2cScl", Pins("22")),
        ("scannerTx", Pins("17")),
        ("scannerRx", Pins("16")),
        ("hostLinkTx", Pins("4")),
        ("hostLinkRx", Pins("5")),
        ("pollIntervalMs", Range(200, 60000)),
        ("cpmBudgetMs", Range(1000, 600000)),
        ("mpmBudgetMs", Range(1000, 3600000)),
        ("maxBackoffMs", Range(200, 120000)),
        ("cancelScheduleMs", ["[2000,3000,3000,5000,5000]", "[0]", "[60000,1]", "[" + string.Join(",", Enumerable.Repeat(5, 16)) + "]", "[\"100\"]", null,
            "[]", "[60001]", "[-1]", "[" + string.Join(",", Enumerable.Repeat(5, 17)) + "]", "5", "[[1]]"]),
        ("httpTimeoutMs", Range(1000, 120000)),
        ("requestBufferBytes", Range(1024, 16384)),
        ("responseBufferBytes", Range(1024, 65536)),
        ("codeValueBytes", Range(64, 2048)),
        ("keepTransactions", Range(1, 50)),
        ("orderDescription", ["\"Groceries\"", "\"" + new string('o', 256) + "\"", null, "\"\"", "\"" + new string('o', 257) + "\""]),
        ("merchantId", Text(64)),
        ("merchantName", Text(128)),
        ("merchantMcc", Text(8)),
        ("storeId", Text(64)),
        ("storeName", Text(128)),
        ("storeMcc", Text(8)),
        ("terminalId", Text(64)),
    };

    /// <summary>Keys the terminal learned after the split into sections, with the capability that brought them.</summary>
    private static readonly string[] AddedKeys =
    {
        // Vending (docs/vending.md): the host link can be off for an MDB machine, whose bridge takes COM3.
        "hostLink", "vending", "vendingSaleMode", "vendingPrice", "vendingMaxPrice", "vendingHoldMs", "pulsePin", "pulseLevel",
        "pulseValue", "pulseWidthMs", "pulseGapMs", "pulseMaxPerSale", "pulseAfterPowerCut", "mdbTx", "mdbRx", "mdbAddress",
        "mdbScaleFactor", "mdbSession", "mdbResponseTimeS", "mdbVendTimeoutMs",

        // The OLED's I2C address (0x3C or 0x3D).
        "displayAddress",

        // The colour TFT (st7789, ili9341): its panel size and SPI pins.
        "displaySize", "spiSck", "spiMosi", "tftCs", "tftDc", "tftReset", "tftBacklight", "spiClockMHz",

        // The link to the gateway (docs/fleet-link.md).
        "heartbeatIntervalMs",

        // The standalone countertop (docs/countertop.md): keypad, buzzer, printer and the merchant menu's PIN.
        "keypad", "keypadLayout", "keypadAddress", "maxAmount", "buzzerPin", "sound", "buzzerVolume",
        "printer", "printerTx", "printerRx", "printerBaud", "receiptCopies", "menuPin",

        // Over-the-air updates (docs/ota.md): when a version on trial is marked healthy.
        "updateHealthyAfterMinutes", "updateHealthyAfterTransactions",
    };

    [Fact]
    public void The_legacy_table_and_the_added_keys_cover_every_key_of_the_rules()
    {
        ConfigRules rules = TerminalConfig.Rules();
        Assert.Equal(Keys.Select(k => k.Key).Concat(AddedKeys).Order(), Enumerable.Range(0, rules.Count).Select(i => rules[i].Key).Order());
    }

    [Fact]
    public void Files_written_by_flash_ps1_the_simulator_and_the_docs_read_the_same()
    {
        foreach (string board in new[] { "wroom", "wrover" })
        {
            // flash.ps1's New-DeviceConfiguration, key for key, with its board profiles.
            bool wrover = board == "wrover";
            string flash = "{\"deviceId\":\"T0001\",\"keyVersion\":3,\"key\":\"" + Key32 + "\",\"gatewayUrl\":\"https://gw.example.com:8443\","
                + "\"caCertificate\":\"I:\\\\gateway-ca.pem\",\"wifiSsid\":\"shop-wifi\",\"wifiPassword\":\"p@ss \\\"word\\\"\",\"displayName\":\"Counter 1\","
                + "\"currency\":\"EUR\",\"board\":\"" + board + "\",\"display\":\"sh1106\",\"i2cSda\":21,\"i2cScl\":22,"
                + "\"scannerTx\":" + (wrover ? 27 : 17) + ",\"scannerRx\":" + (wrover ? 26 : 16) + ",\"hostLinkTx\":4,\"hostLinkRx\":5}";
            AssertSameOutcome(flash, mustParse: true);

            // ...and with a colour TFT (which the legacy parser never knew): panel size and SPI pins instead of the I2C ones.
            string tft = flash.Replace("\"display\":\"sh1106\",\"i2cSda\":21,\"i2cScl\":22,", "\"display\":\"st7789\",\"displaySize\":\"240x240\","
                + "\"spiSck\":18,\"spiMosi\":23,\"tftCs\":14,\"tftDc\":13,\"tftReset\":32,\"tftBacklight\":33,", StringComparison.Ordinal);
            Assert.NotEqual(flash, tft);
            TerminalConfig parsed = TerminalConfigParser.Parse(Bytes(tft), 0, Bytes(tft).Length);
            Assert.Equal(("st7789", 240, 240, 18, 23, 14, 13, 32, 33), (parsed.Display.Controller, parsed.Display.Width, parsed.Display.Height, parsed.Display.SpiClock,
                parsed.Display.SpiMosi, parsed.Display.TftCs, parsed.Display.TftDc, parsed.Display.TftReset, parsed.Display.TftBacklight));
        }

        string folder = Directory.CreateTempSubdirectory("config-compat").FullName;
        try
        {
            foreach (TerminalTimings timings in new[] { TerminalTimings.Interactive, TerminalTimings.Demo, TerminalTimings.Chaos })
            {
                // Every simulator profile, the chaos run's too, is a file a terminal accepts (remote settings check on top of it).
                string path = Path.Combine(folder, "terminal.json");
                DeviceConfigFile.Write(path, "SIM0001", 1, Key32, "https://127.0.0.1:7443", "gateway-ca.pem", "USD", "Simulator", timings);
                Assert.True(AssertSameOutcome(File.ReadAllText(path), mustParse: true));
                DeviceConfigFile.Write(path, "SIM0001", 2, Key32, "http://127.0.0.1:7080", null, "JPY", "", timings);
                Assert.True(AssertSameOutcome(File.ReadAllText(path), mustParse: true));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // docs/configuration.md's example and the smallest file.
        AssertSameOutcome("""
            {"deviceId":"T0001","keyVersion":1,"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
             "gatewayUrl":"https://gw.example.com:8443","caCertificate":"I:\\gateway-ca.pem",
             "wifiSsid":"shop-wifi","wifiPassword":"secret pass","displayName":"Counter 1","currency":"USD",
             "board":"wroom","display":"ssd1306","i2cSda":21,"i2cScl":22,"scannerTx":17,"scannerRx":16,
             "hostLinkTx":4,"hostLinkRx":5,"pollIntervalMs":2000,"cpmBudgetMs":60000,"somethingNew":{"x":[1,2]}}
            """, mustParse: true);
        AssertSameOutcome("{\"deviceId\":\"T1\",\"keyVersion\":1,\"key\":\"" + Key32 + "\",\"gatewayUrl\":\"https://gw\",\"currency\":\"USD\"}", mustParse: true);
    }

    [Fact]
    public void Generated_files_are_accepted_and_refused_alike_and_read_the_same()
    {
        int parsed = 0;
        int refused = 0;
        Gen.Int[0, int.MaxValue].Array[3 * Keys.Length + 4].Sample(choices =>
        {
            if (AssertSameOutcome(Document(choices), mustParse: false))
            {
                Interlocked.Increment(ref parsed);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }, iter: 4000);

        // Both kinds are exercised, not only refusals.
        Assert.True(parsed > 400, $"{parsed} files parsed, {refused} refused");
        Assert.True(refused > 400, $"{parsed} files parsed, {refused} refused");
    }

    [Fact]
    public void A_changed_default_would_be_caught()
    {
        // Negative control: the comparison sees a single differing value.
        LegacyConfig legacy = LegacyConfigParser.Parse(Bytes(MinimalJson()), 0, Bytes(MinimalJson()).Length);
        TerminalConfig sectioned = TerminalConfigParser.Parse(Bytes(MinimalJson()), 0, Bytes(MinimalJson()).Length);
        Assert.Empty(Differences(legacy, sectioned));
        sectioned.Engine.PollIntervalMs++;
        sectioned.HostLink.Rx = 5;
        Assert.Equal(new[] { "hostLinkRx", "pollIntervalMs" }, Differences(legacy, sectioned));
    }

    /// <summary>Parses with both; true when both accepted (then with equal values), false when both refused.</summary>
    private static bool AssertSameOutcome(string json, bool mustParse)
    {
        byte[] bytes = Bytes(json);
        LegacyConfig? legacy = null;
        TerminalConfig? sectioned = null;
        ConfigException? legacyError = null;
        ConfigException? sectionedError = null;
        try
        {
            legacy = LegacyConfigParser.Parse(bytes, 0, bytes.Length);
        }
        catch (ConfigException e)
        {
            legacyError = e;
        }

        try
        {
            sectioned = TerminalConfigParser.Parse(bytes, 0, bytes.Length);
        }
        catch (ConfigException e)
        {
            sectionedError = e;
        }

        Assert.True((legacy == null) == (sectioned == null),
            $"legacy: {legacyError?.Message ?? "parsed"}; sections: {sectionedError?.Message ?? "parsed"}\n{json}");
        if (legacy != null)
        {
            Assert.True(Differences(legacy, sectioned!).Count == 0, "values differ: " + string.Join(", ", Differences(legacy, sectioned!)) + "\n" + json);
            return true;
        }

        Assert.False(mustParse, legacyError!.Message + "\n" + json);
        if (legacyError!.Message.Contains("must all differ", StringComparison.Ordinal) || legacyError.Message.Contains("host link pins must differ", StringComparison.Ordinal))
        {
            // The one check over all pins names the first of the clashing keys, the old one named a fixed key.
            Assert.Contains("is also set for", sectionedError!.Problem, StringComparison.Ordinal);
        }
        else if (legacyError.Property == "display" && legacyError.Problem.StartsWith("must be", StringComparison.Ordinal))
        {
            // The colour displays joined the list of choices; the refusal is the same otherwise.
            Assert.Equal(("display", "must be \"ssd1306\", \"sh1106\", \"st7789\" or \"ili9341\""), (sectionedError!.Property, sectionedError.Problem));
        }
        else
        {
            Assert.True(legacyError.Property == sectionedError!.Property && legacyError.Problem == sectionedError.Problem,
                $"legacy: {legacyError.Message}; sections: {sectionedError.Message}\n{json}");
        }

        return false;
    }

    private static List<string> Differences(LegacyConfig a, TerminalConfig b)
    {
        var differ = new List<string>();
        void Check(string key, object? x, object? y)
        {
            bool same = x is byte[] bx && y is byte[] by ? bx.SequenceEqual(by)
                : x is int[] ix && y is int[] iy ? ix.SequenceEqual(iy)
                : Equals(x, y);
            if (!same)
            {
                differ.Add(key);
            }
        }

        Check("deviceId", a.DeviceId, b.Device.DeviceId);
        Check("keyVersion", a.KeyVersion, b.Device.KeyVersion);
        Check("key", a.Key, b.Device.Key);
        Check("gatewayUrl", a.GatewayUrl, b.Network.GatewayUrl);
        Check("currency", a.Currency, b.Engine.Currency);
        Check("caCertificate", a.CaCertificate, b.Network.CaCertificate);
        Check("wifiSsid", a.WifiSsid, b.Network.WifiSsid);
        Check("wifiPassword", a.WifiPassword, b.Network.WifiPassword);
        Check("displayName", a.DisplayName, b.Display.DisplayName);
        Check("board", a.Board, b.Board.Module);
        Check("display", a.Display, b.Display.Controller);
        Check("i2cSda", a.I2cSda, b.Display.I2cSda);
        Check("i2cScl", a.I2cScl, b.Display.I2cScl);
        Check("scannerTx", a.ScannerTx, b.Scanner.Tx);
        Check("scannerRx", a.ScannerRx, b.Scanner.Rx);
        Check("hostLinkTx", a.HostLinkTx, b.HostLink.Tx);
        Check("hostLinkRx", a.HostLinkRx, b.HostLink.Rx);
        Check("pollIntervalMs", a.PollIntervalMs, b.Engine.PollIntervalMs);
        Check("cpmBudgetMs", a.CpmBudgetMs, b.Engine.CpmBudgetMs);
        Check("mpmBudgetMs", a.MpmBudgetMs, b.Engine.MpmBudgetMs);
        Check("maxBackoffMs", a.MaxBackoffMs, b.Engine.MaxBackoffMs);
        Check("cancelScheduleMs", a.CancelScheduleMs, b.Engine.CancelScheduleMs);
        Check("httpTimeoutMs", a.HttpTimeoutMs, b.Network.HttpTimeoutMs);
        Check("requestBufferBytes", a.RequestBufferBytes, b.Network.RequestBufferBytes);
        Check("responseBufferBytes", a.ResponseBufferBytes, b.Network.ResponseBufferBytes);
        Check("codeValueBytes", a.CodeValueBytes, b.Engine.CodeValueBytes);
        Check("keepTransactions", a.KeepTransactions, b.Engine.KeepTransactions);
        Check("orderDescription", a.OrderDescription, b.Merchant.OrderDescription);
        Check("merchantId", a.MerchantId, b.Merchant.MerchantId);
        Check("merchantName", a.MerchantName, b.Merchant.MerchantName);
        Check("merchantMcc", a.MerchantMcc, b.Merchant.MerchantMcc);
        Check("storeId", a.StoreId, b.Merchant.StoreId);
        Check("storeName", a.StoreName, b.Merchant.StoreName);
        Check("storeMcc", a.StoreMcc, b.Merchant.StoreMcc);
        Check("terminalId", a.TerminalId, b.Merchant.TerminalId);
        Check("(effective terminal id)", a.EffectiveTerminalId, b.Payments.EffectiveTerminalId);
        return differ;
    }

    /// <summary>
    /// A JSON object from random choices: each key present or not (required ones mostly present), usually with a
    /// valid value, sometimes an invalid one; now and then a key twice, an unknown key, or keys in another order.
    /// </summary>
    private static string Document(int[] c)
    {
        bool careful = c[^1] % 2 == 0;
        var members = new List<string>();
        for (int i = 0; i < Keys.Length; i++)
        {
            (string key, string?[] values) = Keys[i];
            bool required = i < 5 || key == "currency";
            int presence = c[3 * i] % 100;
            if (presence >= (required ? 95 : 45))
            {
                continue;
            }

            int validCount = Array.IndexOf(values, null);
            bool valid = c[3 * i + 1] % 100 < (careful ? 99 : 85);
            bool usual = careful && c[3 * i + 1] % 7 != 0;
            string value = usual ? values[0]!
                : valid ? values[c[3 * i + 2] % validCount]!
                : values[validCount + 1 + c[3 * i + 2] % (values.Length - validCount - 1)]!;
            members.Add("\"" + key + "\":" + value);
            if (c[3 * i + 2] % 500 == 7)
            {
                members.Add("\"" + key + "\":" + value);
            }
        }

        if (c[^2] % 10 == 0)
        {
            members.Insert(c[^3] % (members.Count + 1), "\"somethingNew\":{\"x\":[1,2,\"three\"]}");
        }

        if (c[^4] % 3 == 0)
        {
            members.Reverse();
        }

        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>The key's usual pin first (so that careful files mostly avoid clashes), then others.</summary>
    private static string?[] Pins(string usual) =>
        [usual, "21", "22", "17", "16", "4", "5", "25", "26", "27", "33", "0", "\"13\"", "34", "39", null, "7", "11", "40", "-1", "\"x\"", "3.3"];

    private static string?[] Range(long min, long max) =>
        [min.ToString(), max.ToString(), ((min + max) / 2).ToString(), "\"" + max + "\"", null, (min - 1).ToString(), (max + 1).ToString(), "\"\"", "null", "[1]"];

    private static string?[] Text(int max) =>
        ["\"\"", "\"M001\"", "\"" + new string('t', max) + "\"", null, "\"" + new string('t', max + 1) + "\"", "\"a\\u0001b\"", "42"];

    private static string MinimalJson() =>
        "{\"deviceId\":\"T1\",\"keyVersion\":1,\"key\":\"" + Key32 + "\",\"gatewayUrl\":\"https://gw\",\"currency\":\"USD\"}";

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
