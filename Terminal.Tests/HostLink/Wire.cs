using Xunit;
using System.Text;
using Terminal.Firmware.HostLink;

namespace Terminal.Tests.HostLink;

/// <summary>The controller's side of the wire, written from docs/host-link.md (CRC-8/SMBUS, CR LF lines).</summary>
internal static class Wire
{
    public static int Crc8(string text)
    {
        int crc = 0;
        foreach (char c in text)
        {
            crc ^= c;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }

        return crc;
    }

    /// <summary>A full line: body, '*', checksum, CR LF.</summary>
    public static string Line(string body) => $"{body}*{Crc8(body):X2}\r\n";

    public static byte[] Bytes(string text) => text.Select(c => (byte)c).ToArray();

    /// <summary>Splits received bytes into line bodies, checking each line's framing and checksum.</summary>
    public static List<string> Bodies(byte[] received)
    {
        string text = Encoding.ASCII.GetString(received);
        Assert.True(text.Length == 0 || text.EndsWith("\r\n"), $"unterminated output: {text}");
        var bodies = new List<string>();
        foreach (string line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(line.Length + 2 <= HostLinkProtocol.MaxLineLength, $"line too long: {line}");
            Assert.All(line, c => Assert.InRange(c, ' ', '~'));
            int mark = line.LastIndexOf('*');
            Assert.True(mark >= 0 && mark == line.Length - 3, $"no checksum: {line}");
            string body = line[..mark];
            Assert.Equal(Crc8(body).ToString("X2"), line[(mark + 1)..]);
            bodies.Add(body);
        }

        return bodies;
    }
}
