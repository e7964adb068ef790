using System.Text.RegularExpressions;
using Terminal.Firmware.HostLink;
using Xunit;

namespace Terminal.Tests.HostLink;

/// <summary>The transcripts in docs/host-link.md are real: every line's checksum is right, and requests parse.</summary>
public class HostLinkDocTests
{
    [Fact]
    public void Every_transcript_line_has_a_correct_checksum()
    {
        string doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "host-link.md"));
        var lines = Regex.Matches(doc, @"^([<>]) (.+)\*([0-9A-F]{2})$", RegexOptions.Multiline);
        Assert.True(lines.Count >= 30, $"only {lines.Count} transcript lines found");

        var parser = new HostLinkRequestParser();
        var request = new HostLinkRequest();
        foreach (Match m in lines)
        {
            string body = m.Groups[2].Value;
            string checksum = m.Groups[3].Value;
            if (body == "4 ABORT")
            {
                Assert.NotEqual(Wire.Crc8(body).ToString("X2"), checksum); // the documented corrupted line
                continue;
            }

            Assert.True(Wire.Crc8(body).ToString("X2") == checksum, $"{body}*{checksum} should end *{Wire.Crc8(body):X2}");
            if (m.Groups[1].Value == ">")
            {
                byte[] line = Wire.Bytes(body + "*" + checksum);
                var error = parser.Parse(line, line.Length, request);
                Assert.True(error is HostLinkError.None or HostLinkError.Unknown, $"{body}: {error}");
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Terminal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
    }
}
