using System.Net;
using Terminal.Gateway.OperationsConsole.Hosting;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>Where the console answers and what every answer carries, over plain HTTP clients (no browser needed).</summary>
public sealed class ConsoleHostingTests
{
    [Fact]
    public async Task The_console_answers_on_the_admin_listener_only_with_its_security_headers()
    {
        await using var gw = await TestGateway.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var onDevicePort = await http.GetAsync(new Uri(gw.Gateway.BaseUri, "/console/login"));
        Assert.Equal(HttpStatusCode.NotFound, onDevicePort.StatusCode);
        using var cssOnDevicePort = await http.GetAsync(new Uri(gw.Gateway.BaseUri, "/console/console.css"));
        Assert.Equal(HttpStatusCode.NotFound, cssOnDevicePort.StatusCode);

        using var page = await http.GetAsync(new Uri(gw.Gateway.AdminBaseUri, "/console/transactions"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/login", page.Headers.Location!.PathAndQuery);

        using var login = await http.GetAsync(new Uri(gw.Gateway.AdminBaseUri, "/console/login"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string csp = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", login.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", login.Headers.CacheControl!.ToString());
        string body = await login.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", body);
        Assert.DoesNotContain("style=", body);
        Assert.Contains("name=\"__csrf\"", body);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("terminal-console-af=", StringComparison.Ordinal));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        using var css = await http.GetAsync(new Uri(gw.Gateway.AdminBaseUri, "/console/console.css"));
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_anti_forgery_token_is_refused()
    {
        await using var gw = await TestGateway.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var post = await http.PostAsync(new Uri(gw.Gateway.AdminBaseUri, "/console/login"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x", ["password"] = "y" }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }
}
