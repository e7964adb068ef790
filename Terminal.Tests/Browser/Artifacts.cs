using Microsoft.Playwright;
using Terminal.Tests.AntomEmulator;

namespace Terminal.Tests.Browser;

/// <summary>
/// Where browser tests leave screenshots: <c>artifacts/screenshots/&lt;group&gt;/</c> at the repository root (ignored by
/// git), or under TERMINAL_TEST_ARTIFACTS when set. A person (or CI's log) looks at them; no test compares pixels.
/// </summary>
public static class Artifacts
{
    public static string Folder(string group)
    {
        string root = Environment.GetEnvironmentVariable("TERMINAL_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : RepoFiles.Path("artifacts");
        string folder = Path.Combine(root, "screenshots", group);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A full-page PNG named <paramref name="name"/>.png; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string group, string name)
    {
        string path = Path.Combine(Folder(group), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
