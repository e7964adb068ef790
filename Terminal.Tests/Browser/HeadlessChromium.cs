using Microsoft.Playwright;
using Xunit;

namespace Terminal.Tests.Browser;

/// <summary>
/// One headless chromium for a collection of tests (<see cref="BrowserCollection"/>), driven through Playwright's .NET
/// API; each test opens its own pages with <see cref="NewPageAsync"/> and the test class closes them with
/// <see cref="CloseAllPagesAsync"/>. The browser is Debian's (<see cref="ExecutablePath"/>, installed by .ci/run):
/// Playwright never downloads one here, nothing runs `playwright install`, and the launch names the executable.
/// The switches keep the browser off the network except for the pages a test opens (no component updates, sync,
/// background requests or QUIC).
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Switches =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(
        $"{ExecutablePath} is not installed: browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it)");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath)) return; // BrowserFact skips the tests, or (CI=true) they fail on Browser
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Switches,
            Timeout = 60_000,
        });
    }

    /// <summary>
    /// A fresh page in its own context (no cookies or cache shared with other pages). <paramref name="width"/> 320 is
    /// the narrowest common phone; <paramref name="language"/> becomes the Accept-Language header and navigator.language.
    /// The test servers' certificates come from CAs made per test, so certificate errors are ignored: what is tested is
    /// the page, while TLS itself is tested with HttpClients that trust exactly those CAs.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 320, int height = 640, string language = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = language,
            IgnoreHTTPSErrors = true,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(15_000);
        lock (_contexts) _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes every page opened so far (a test class calls it when its test ends).</summary>
    public async Task CloseAllPagesAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await CloseAllPagesAsync();
        if (_browser != null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>Tests that share one <see cref="HeadlessChromium"/> (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<HeadlessChromium>
{
    public const string Name = "headless chromium";
}
