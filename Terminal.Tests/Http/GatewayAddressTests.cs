using Terminal.Io.Http;
using Xunit;

namespace Terminal.Tests.Http;

public sealed class GatewayAddressTests
{
    [Theory]
    [InlineData("https://gw.example.com:8443", true, "gw.example.com", 8443, "", "gw.example.com:8443")]
    [InlineData("https://GW.Example.com/", true, "gw.example.com", 443, "", "gw.example.com")]
    [InlineData("https://gw.example.com:443/terminal/v1//", true, "gw.example.com", 443, "/terminal/v1", "gw.example.com")]
    [InlineData("http://127.0.0.1:5080", false, "127.0.0.1", 5080, "", "127.0.0.1:5080")]
    [InlineData("HTTP://localhost", false, "localhost", 80, "", "localhost")]
    public void Parses_what_a_device_needs(string url, bool https, string host, int port, string basePath, string hostHeader)
    {
        GatewayAddress a = GatewayAddress.Parse(url);
        Assert.Equal(https, a.Https);
        Assert.Equal(host, a.Host);
        Assert.Equal(port, a.Port);
        Assert.Equal(basePath, a.BasePath);
        Assert.Equal(hostHeader, a.HostHeader);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://gw.example.com")]
    [InlineData("gw.example.com")]
    [InlineData("https://")]
    [InlineData("https://:8443")]
    [InlineData("https://user@gw.example.com")]
    [InlineData("https://gw.example.com:")]
    [InlineData("https://gw.example.com:0")]
    [InlineData("https://gw.example.com:65536")]
    [InlineData("https://gw.example.com:99999999999")]
    [InlineData("https://gw.example.com:84a3")]
    [InlineData("https://[::1]:8443")]
    [InlineData("https://gw.example.com/a b")]
    [InlineData("https://gw.example.com/a?b=1")]
    [InlineData("https://gw.example.com/a#b")]
    [InlineData("https://gw.exa\r\nmple.com")]
    public void Refuses_anything_else_saying_why(string? url)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => GatewayAddress.Parse(url!));
        Assert.Contains("gateway URL", e.Message);
    }
}
