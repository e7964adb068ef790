using Terminal.Tests.AntomEmulator;
using Xunit;

namespace Terminal.Tests.Browser;

/// <summary>The browser fixture's own rules: where the browser comes from and what happens when it is missing.</summary>
public sealed class BrowserFixtureTests
{
    [Fact]
    public void Browser_tests_skip_only_outside_ci_and_only_without_chromium()
    {
        Assert.Null(BrowserFactAttribute.SkipReason(runningInCi: true, browserInstalled: false));
        Assert.Null(BrowserFactAttribute.SkipReason(runningInCi: true, browserInstalled: true));
        Assert.Null(BrowserFactAttribute.SkipReason(runningInCi: false, browserInstalled: true));
        Assert.Contains("apt-get install -y chromium", BrowserFactAttribute.SkipReason(runningInCi: false, browserInstalled: false));
    }

    [Fact]
    public void A_browser_that_did_not_start_says_what_to_install()
    {
        var unstarted = new HeadlessChromium();
        var e = Assert.Throws<InvalidOperationException>(() => unstarted.Browser);
        Assert.Contains(HeadlessChromium.ExecutablePath, e.Message);
        Assert.Contains("apt-get install -y chromium", e.Message);
    }

    [Fact]
    public void The_fixture_launches_debians_chromium_and_ci_installs_it()
    {
        Assert.Equal("/usr/bin/chromium", HeadlessChromium.ExecutablePath);
        string ci = File.ReadAllText(RepoFiles.Path(".ci/run"));
        Assert.Contains("apt_install chromium", ci);
        Assert.Contains("export CI=true", ci);
        Assert.DoesNotContain("playwright install", ci);
    }
}
