using Xunit;

namespace Terminal.Tests.Scanner;

/// <summary>
/// A test that needs socat's pseudo-terminal pair. Skipped on a developer machine without socat (or not on
/// Linux); with CI=true it always runs, so a missing socat fails the build instead of hiding the test.
/// </summary>
public sealed class PtyFactAttribute : FactAttribute
{
    public PtyFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ci)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Skip = "pseudo-terminal test runs on Linux only";
        }
        else if (!SocatPtyPair.SocatInstalled)
        {
            Skip = "socat is not installed (apt-get install -y socat); with CI=true this test fails instead";
        }
    }
}
