using Xunit;

namespace Terminal.Tests.Browser;

/// <summary>
/// A test that drives Debian's chromium (<see cref="HeadlessChromium.ExecutablePath"/>). Skipped on a developer
/// machine without it (`apt-get install -y chromium`); with CI=true it always runs, so a missing browser fails the
/// build with <see cref="HeadlessChromium.Browser"/>'s message instead of hiding the test (.ci/run sets CI=true and
/// installs chromium).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Skip = SkipReason(ci, File.Exists(HeadlessChromium.ExecutablePath));
    }

    /// <summary>Why a browser test is skipped, or null when it runs.</summary>
    internal static string? SkipReason(bool runningInCi, bool browserInstalled) =>
        runningInCi || browserInstalled
            ? null
            : $"{HeadlessChromium.ExecutablePath} is not installed (apt-get install -y chromium); with CI=true this test fails instead";
}
