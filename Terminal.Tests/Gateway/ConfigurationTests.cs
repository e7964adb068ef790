using Microsoft.Extensions.Configuration;
using Terminal.Gateway.Configuration;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

public sealed class ConfigurationTests
{
    private static GatewayOptions Valid() => new()
    {
        KeyEncryptionKey = TestKeys.KeyEncryptionKey,
        Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=:memory:" },
        Antom = new AntomOptions
        {
            BaseUrl = "https://open-sea-global.alipay.com",
            ClientId = "SANDBOX_5Y0566SG25J004124",
            MerchantPrivateKey = TestKeys.MerchantPrivatePkcs8,
            AntomPublicKey = TestKeys.AntomPublicSpki,
        },
    };

    private static GatewayConfigurationException Invalid(Action<GatewayOptions> change)
    {
        var options = Valid();
        change(options);
        return Assert.Throws<GatewayConfigurationException>(() => GatewaySettings.Resolve(options).Dispose());
    }

    [Fact]
    public void A_complete_configuration_resolves()
    {
        using var settings = GatewaySettings.Resolve(Valid());
        Assert.Equal("SANDBOX_5Y0566SG25J004124", settings.AntomClientId);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.RequestTimeWindow);
    }

    [Fact]
    public void Admin_token_file_admin_listeners_and_retention_are_checked()
    {
        var e = Invalid(o =>
        {
            o.AdminTokenPath = "/nonexistent/admin-token";
            o.Urls = ["http://127.0.0.1:8080"];
            o.AdminUrls = ["http://127.0.0.1:8080", "ftp://127.0.0.1:21"];
            o.Retention.Days = 0;
        });
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:AdminTokenPath '/nonexistent/admin-token' cannot be read", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("uses the port of a device listener", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:AdminUrls entry 'ftp://127.0.0.1:21'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:Retention:Days", StringComparison.Ordinal));

        string file = Path.GetTempFileName();
        File.WriteAllText(file, "short\n");
        try
        {
            Assert.Contains(Invalid(o => o.AdminTokenPath = file).Errors, m => m.StartsWith("Gateway:AdminToken must be at least 16", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Sandbox_client_ids_sign_and_send_the_sandbox_path()
    {
        using var sandbox = GatewaySettings.Resolve(Valid());
        Assert.Equal("/ams/sandbox/api/v1/payments/pay", sandbox.UpstreamPath("/ams/api/v1/payments/pay"));
        var live = Valid();
        live.Antom.ClientId = "5Y0566SG25J004124";
        using var liveSettings = GatewaySettings.Resolve(live);
        Assert.Equal("/ams/api/v1/payments/pay", liveSettings.UpstreamPath("/ams/api/v1/payments/pay"));
    }

    [Fact]
    public void Every_missing_key_is_named_at_once()
    {
        var e = Assert.Throws<GatewayConfigurationException>(() => GatewaySettings.Resolve(new GatewayOptions()));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:Antom:BaseUrl is missing", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:Antom:ClientId is missing", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:Antom:MerchantPrivateKey is missing", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:Antom:AntomPublicKey is missing", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Gateway:KeyEncryptionKey is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_key_file_is_named_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "merchant.key");
        var e = Invalid(o => { o.Antom.MerchantPrivateKey = null; o.Antom.MerchantPrivateKeyPath = path; });
        Assert.Contains(e.Errors, m => m.Contains("Gateway:Antom:MerchantPrivateKeyPath", StringComparison.Ordinal) && m.Contains(path, StringComparison.Ordinal) && m.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_load_from_files()
    {
        string dir = Directory.CreateTempSubdirectory("gw-keys").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "merchant.pem"), TestKeys.Merchant.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "antom.pub"), TestKeys.AntomPublicSpki);
            File.WriteAllText(Path.Combine(dir, "kek"), TestKeys.KeyEncryptionKey + "\n");
            var options = Valid();
            options.Antom.MerchantPrivateKey = null;
            options.Antom.MerchantPrivateKeyPath = Path.Combine(dir, "merchant.pem");
            options.Antom.AntomPublicKey = null;
            options.Antom.AntomPublicKeyPath = Path.Combine(dir, "antom.pub");
            options.KeyEncryptionKey = null;
            options.KeyEncryptionKeyPath = Path.Combine(dir, "kek");
            using var settings = GatewaySettings.Resolve(options);
            Assert.Equal(2048, settings.MerchantPrivateKey.KeySize);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_key_that_is_not_a_key_is_reported_without_its_content()
    {
        var e = Invalid(o => o.Antom.MerchantPrivateKey = "bm90IGEga2V5");
        string message = Assert.Single(e.Errors);
        Assert.Contains("Gateway:Antom:MerchantPrivateKey is not an RSA PKCS#8 private key", message);
        Assert.DoesNotContain("bm90IGEga2V5", e.Message);
        // A public key where the private key belongs is refused too.
        Assert.Single(Invalid(o => o.Antom.MerchantPrivateKey = TestKeys.AntomPublicSpki).Errors);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://antom.example")]
    [InlineData("/ams/api")]
    public void A_bad_base_url_is_named(string url)
    {
        var e = Invalid(o => o.Antom.BaseUrl = url);
        Assert.Contains($"Gateway:Antom:BaseUrl '{url}' is not an absolute https URL", Assert.Single(e.Errors));
    }

    [Fact]
    public void Plain_http_upstream_needs_an_explicit_switch()
    {
        var e = Invalid(o => o.Antom.BaseUrl = "http://127.0.0.1:9000");
        Assert.Contains("AllowHttp", Assert.Single(e.Errors));
        var options = Valid();
        options.Antom.BaseUrl = "http://127.0.0.1:9000";
        options.Antom.AllowHttp = true;
        GatewaySettings.Resolve(options).Dispose();
    }

    [Theory]
    [InlineData("c2hvcnQ=", "32 bytes")]
    [InlineData("%%%", "not base64")]
    public void A_bad_key_encryption_key_is_named(string kek, string reason)
    {
        var e = Invalid(o => o.KeyEncryptionKey = kek);
        Assert.Contains(reason, Assert.Single(e.Errors));
    }

    [Fact]
    public void Other_bad_values_are_named()
    {
        var e = Invalid(o =>
        {
            o.Database.Provider = "oracle";
            o.RequestTimeWindowSeconds = 0;
            o.NotifyPath = "notify";
            o.AdminToken = "short";
            o.Urls = ["https://0.0.0.0:8443"];
            o.PublicBaseUrl = "gw.example.com";
            o.Antom.AttemptTimeoutMs = 0;
        });
        Assert.Contains(e.Errors, m => m.Contains("Gateway:Database:Provider 'oracle'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Gateway:RequestTimeWindowSeconds", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Gateway:NotifyPath 'notify'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Gateway:AdminToken", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("is https but there is no certificate", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Gateway:PublicBaseUrl 'gw.example.com'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Gateway:Antom:AttemptTimeoutMs", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_needs_a_connection_string()
    {
        var e = Invalid(o => { o.Database.Provider = "postgres"; o.Database.ConnectionString = null; });
        Assert.Contains("Gateway:Database:ConnectionString is missing", Assert.Single(e.Errors));
    }

    [Fact]
    public void Binding_from_configuration_reads_nested_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Antom:BaseUrl"] = "https://open-na-global.alipay.com",
            ["Gateway:Antom:MaxAttempts"] = "4",
            ["Gateway:Merchant:Currencies:0"] = "USD",
            ["Gateway:Urls:0"] = "http://127.0.0.1:9999",
        }).Build();
        var options = Terminal.Gateway.Program.BindOptions(configuration);
        Assert.Equal("https://open-na-global.alipay.com", options.Antom.BaseUrl);
        Assert.Equal(4, options.Antom.MaxAttempts);
        Assert.Equal(["USD"], options.Merchant.Currencies);
        Assert.Equal(["http://127.0.0.1:9999"], options.Urls);
    }
}
