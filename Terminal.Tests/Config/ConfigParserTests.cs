using System.Text;
using System.Text.Json.Nodes;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Xunit;

namespace Terminal.Tests.Config;

public sealed class ConfigParserTests
{
    private const string Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 0..31

    private static JsonObject Minimal() => new()
    {
        ["deviceId"] = "T0001",
        ["keyVersion"] = 1,
        ["key"] = Key,
        ["gatewayUrl"] = "https://gw.example.com:8443/",
        ["currency"] = "USD",
    };

    private static TerminalConfig Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        byte[] padded = new byte[bytes.Length + 6];
        bytes.CopyTo(padded, 3);
        return TerminalConfigParser.Parse(padded, 3, bytes.Length);
    }

    private static ConfigException Fails(string json) => Assert.Throws<ConfigException>(() => Parse(json));

    [Fact]
    public void The_documented_example_parses_with_defaults()
    {
        TerminalConfig c = Parse("""
            {"deviceId":"T0001","keyVersion":1,"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
             "gatewayUrl":"https://gw.example.com:8443","caCertificate":"I:\\gateway-ca.pem",
             "wifiSsid":"shop-wifi","wifiPassword":"secret pass","displayName":"Counter 1","currency":"USD",
             "board":"wroom","display":"ssd1306","i2cSda":21,"i2cScl":22,"scannerTx":17,"scannerRx":16,
             "hostLinkTx":4,"hostLinkRx":5,"pollIntervalMs":2000,"cpmBudgetMs":60000,"somethingNew":{"x":[1,2]}}
            """);
        Assert.Equal("T0001", c.Device.DeviceId);
        Assert.Equal(1, c.Device.KeyVersion);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), c.Device.Key);
        Assert.Equal("https://gw.example.com:8443", c.Network.GatewayUrl);
        Assert.Equal("I:\\gateway-ca.pem", c.Network.CaCertificate);
        Assert.Equal("secret pass", c.Network.WifiPassword);
        Assert.Equal("Counter 1", c.Display.DisplayName);
        Assert.Equal((4, 5), (c.HostLink.Tx, c.HostLink.Rx));
        Assert.Equal(2048, c.Network.RequestBufferBytes);
        Assert.Equal(4096, c.Network.ResponseBufferBytes);
        Assert.Equal(new[] { 2000, 3000, 3000, 5000, 5000 }, c.Engine.CancelScheduleMs);
        Assert.Equal("T0001", c.Payments.EffectiveTerminalId);
    }

    [Fact]
    public void Minimal_file_and_engine_extras()
    {
        JsonObject o = Minimal();
        o["keyVersion"] = "7";
        o["cancelScheduleMs"] = new JsonArray(1000, 2000);
        o["responseBufferBytes"] = 8192;
        o["merchantId"] = "M001";
        o["terminalId"] = "POS1";
        TerminalConfig c = Parse(o.ToJsonString());
        Assert.Equal(7, c.Device.KeyVersion);
        Assert.Equal(new[] { 1000, 2000 }, c.Engine.CancelScheduleMs);
        Assert.Equal(8192, c.Network.ResponseBufferBytes);
        Assert.Equal(-1, c.HostLink.Tx);
        Assert.Equal("POS1", c.Payments.EffectiveTerminalId);
        Assert.Equal("https://gw.example.com:8443", c.Network.GatewayUrl);
    }

    [Theory]
    [InlineData("deviceId")]
    [InlineData("keyVersion")]
    [InlineData("key")]
    [InlineData("gatewayUrl")]
    [InlineData("currency")]
    public void Missing_required_property_is_named(string property)
    {
        JsonObject o = Minimal();
        o.Remove(property);
        ConfigException e = Fails(o.ToJsonString());
        Assert.Equal(property, e.Property);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deviceId", "\"T-0001\"")]
    [InlineData("deviceId", "\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\"")]
    [InlineData("keyVersion", "0")]
    [InlineData("keyVersion", "1.5")]
    [InlineData("keyVersion", "true")]
    [InlineData("key", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\"")]
    [InlineData("key", "\"not base64 at all but 44 characters long!!!\"")]
    [InlineData("key", "12")]
    [InlineData("gatewayUrl", "\"ftp://gw\"")]
    [InlineData("gatewayUrl", "\"https:///path\"")]
    [InlineData("currency", "\"usd\"")]
    [InlineData("currency", "\"USDT\"")]
    [InlineData("board", "\"esp32\"")]
    [InlineData("display", "\"ssd1309\"")]
    [InlineData("displaySize", "\"240x240\"")]
    [InlineData("i2cSda", "7")]
    [InlineData("scannerTx", "35")]
    [InlineData("scannerRx", "40")]
    [InlineData("pollIntervalMs", "50")]
    [InlineData("cpmBudgetMs", "\"sixty\"")]
    [InlineData("cancelScheduleMs", "[]")]
    [InlineData("cancelScheduleMs", "5")]
    [InlineData("hostLinkTx", "4")]
    [InlineData("wifiSsid", "\"tab\\there\"")]
    public void Bad_values_name_their_property(string property, string value)
    {
        JsonObject o = Minimal();
        o[property] = JsonNode.Parse(value);
        ConfigException e = Fails(o.ToJsonString());
        Assert.Equal(property == "hostLinkTx" ? "hostLinkRx" : property, e.Property);
    }

    [Fact]
    public void Wrover_boards_cannot_use_the_psram_pins()
    {
        JsonObject o = Minimal();
        o["board"] = "wrover";
        Assert.Equal("scannerTx", Fails(o.ToJsonString()).Property);
        o["scannerTx"] = 25;
        o["scannerRx"] = 26;
        Assert.Equal("wrover", Parse(o.ToJsonString()).Board.Module);
    }

    [Fact]
    public void Pins_must_not_clash()
    {
        JsonObject o = Minimal();
        o["scannerTx"] = 21;
        Assert.Equal("i2cSda", Fails(o.ToJsonString()).Property);
    }

    [Fact]
    public void One_check_covers_the_pins_of_every_section()
    {
        JsonObject o = Minimal();
        o["hostLinkTx"] = 22;
        o["hostLinkRx"] = 5;
        ConfigException e = Fails(o.ToJsonString());
        Assert.Equal("i2cScl", e.Property);
        Assert.Contains("hostLinkTx", e.Message, StringComparison.Ordinal);

        o["hostLinkTx"] = 4;
        o["hostLinkRx"] = 4;
        e = Fails(o.ToJsonString());
        Assert.Equal("hostLinkTx", e.Property);
        Assert.Contains("hostLinkRx", e.Message, StringComparison.Ordinal);

        o["board"] = "wrover";
        o["scannerTx"] = 27;
        o["scannerRx"] = 26;
        o["hostLinkRx"] = 16;
        Assert.Equal("hostLinkRx", Fails(o.ToJsonString()).Property);
        o["hostLinkRx"] = 5;
        Assert.Equal((4, 5), (Parse(o.ToJsonString()).HostLink.Tx, Parse(o.ToJsonString()).HostLink.Rx));
    }

    [Fact]
    public void Duplicates_and_malformed_json_are_errors_with_position()
    {
        Assert.Equal("currency", Fails("{\"deviceId\":\"T1\",\"currency\":\"USD\",\"currency\":\"EUR\"}").Property);
        ConfigException e = Fails("{\"deviceId\":\"T1\",\"currency\":\"USD\",}");
        Assert.Contains("malformed JSON at byte", e.Message, StringComparison.Ordinal);
        Assert.Equal("(file)", Fails("[1]").Property);
        Assert.Equal("(file)", Fails("").Property);
        Assert.Equal("(file)", Fails("{} {}").Property);
    }

    [Fact]
    public void Errors_never_contain_secret_values()
    {
        JsonObject o = Minimal();
        o["key"] = "c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA==";
        Assert.DoesNotContain("c2VjcmV0", Fails(o.ToJsonString()).Message, StringComparison.Ordinal);
        o = Minimal();
        o["wifiPassword"] = new string('p', 65);
        Assert.DoesNotContain("ppp", Fails(o.ToJsonString()).Message, StringComparison.Ordinal);
    }
}
