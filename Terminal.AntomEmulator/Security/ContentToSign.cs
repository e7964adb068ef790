using System.Text;

namespace Terminal.AntomEmulator;

/// <summary>
/// Antom's content to sign, identical for requests, responses and notifications (docs/antom-protocol.md section 2):
/// <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;body bytes&gt;</c>, LF only, no trailing newline.
/// </summary>
internal static class ContentToSign
{
    public static byte[] Build(string path, string clientId, string time, ReadOnlySpan<byte> body)
    {
        string prefix = "POST " + path + "\n" + clientId + "." + time + ".";
        byte[] content = new byte[Encoding.UTF8.GetByteCount(prefix) + body.Length];
        int written = Encoding.UTF8.GetBytes(prefix, content);
        body.CopyTo(content.AsSpan(written));
        return content;
    }
}
