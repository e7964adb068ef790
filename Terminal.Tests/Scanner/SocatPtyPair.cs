using System.Diagnostics;

namespace Terminal.Tests.Scanner;

/// <summary>
/// Two linked pseudo-terminals made by socat (<c>socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B</c>):
/// what one end writes, the other reads, through the kernel's tty layer as with a USB-serial adapter.
/// Disposing stops the socat process this instance started.
/// </summary>
public sealed class SocatPtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly string _directory;

    private SocatPtyPair(Process socat, string directory, string hostPath, string devicePath)
    {
        _socat = socat;
        _directory = directory;
        HostPath = hostPath;
        DevicePath = devicePath;
    }

    /// <summary>The terminal's end (/dev/pts/N).</summary>
    public string HostPath { get; }

    /// <summary>The other end, played by a simulated module or controller.</summary>
    public string DevicePath { get; }

    public static bool SocatInstalled =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "socat")));

    public static SocatPtyPair Start()
    {
        if (!SocatInstalled)
        {
            throw new InvalidOperationException(
                "socat is not installed: the pseudo-terminal test needs it (apt-get install -y socat; .ci/run installs it)");
        }

        string directory = Path.Combine(Path.GetTempPath(), "terminal-pty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string hostLink = Path.Combine(directory, "host");
        string deviceLink = Path.Combine(directory, "device");
        var info = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"pty,raw,echo=0,link={hostLink}");
        info.ArgumentList.Add($"pty,raw,echo=0,link={deviceLink}");
        var socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(hostLink) && File.Exists(deviceLink)))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                string error = socat.HasExited ? socat.StandardError.ReadToEnd() : "timed out";
                if (!socat.HasExited)
                {
                    socat.Kill();
                }

                throw new InvalidOperationException("socat did not create the pty pair: " + error);
            }

            Thread.Sleep(20);
        }

        string host = new FileInfo(hostLink).ResolveLinkTarget(true)?.FullName ?? hostLink;
        string device = new FileInfo(deviceLink).ResolveLinkTarget(true)?.FullName ?? deviceLink;
        return new SocatPtyPair(socat, directory, host, device);
    }

    public void Dispose()
    {
        try
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                _socat.WaitForExit(5000);
            }
        }
        finally
        {
            _socat.Dispose();
            try
            {
                Directory.Delete(_directory, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
