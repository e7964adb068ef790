using System.Text;

namespace Terminal.Gateway.Security;

/// <summary>
/// Antom's content-to-sign: <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;exact body bytes&gt;</c> (one space, LF only,
/// literal dots, no trailing newline; docs/antom-protocol.md section 2). Used for requests, responses and notifications on
/// both hops.
/// </summary>
public static class SignContent
{
    public static byte[] Build(string path, string clientId, string time, ReadOnlySpan<byte> body)
    {
        string head = "POST " + path + "\n" + clientId + "." + time + ".";
        int headLength = Encoding.UTF8.GetByteCount(head);
        byte[] content = new byte[headLength + body.Length];
        Encoding.UTF8.GetBytes(head, content);
        body.CopyTo(content.AsSpan(headLength));
        return content;
    }
}
