using System.Buffers;
using System.Text;

namespace Terminal.Gateway.Security;

/// <summary>
/// Antom's content-to-sign: <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;exact body bytes&gt;</c> (one space, LF only,
/// literal dots, no trailing newline; docs/antom-protocol.md section 2). Used for requests, responses and notifications on
/// both hops; the terminal's update downloads sign the same shape with <c>GET</c> and an empty body (docs/ota.md).
/// </summary>
public static class SignContent
{
    public static byte[] Build(string path, string clientId, string time, ReadOnlySpan<byte> body)
    {
        using var content = Rent(path, clientId, time, body);
        return content.Span.ToArray();
    }

    /// <summary>The same bytes in a pooled buffer, for signing and verifying on the request path (several a request):
    /// use <see cref="Pooled.Span"/> and dispose.</summary>
    public static Pooled Rent(string path, string clientId, string time, ReadOnlySpan<byte> body) => Rent("POST", path, clientId, time, body);

    /// <summary>The same shape with another method (<c>GET</c> for update downloads).</summary>
    public static Pooled Rent(string method, string path, string clientId, string time, ReadOnlySpan<byte> body)
    {
        int length = Encoding.UTF8.GetByteCount(method) + Encoding.UTF8.GetByteCount(path) + Encoding.UTF8.GetByteCount(clientId) + Encoding.UTF8.GetByteCount(time)
            + body.Length + 4;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        var span = buffer.AsSpan();
        int at = Encoding.UTF8.GetBytes(method, span);
        span[at++] = (byte)' ';
        at += Encoding.UTF8.GetBytes(path, span[at..]);
        span[at++] = (byte)'\n';
        at += Encoding.UTF8.GetBytes(clientId, span[at..]);
        span[at++] = (byte)'.';
        at += Encoding.UTF8.GetBytes(time, span[at..]);
        span[at++] = (byte)'.';
        body.CopyTo(span[at..]);
        return new Pooled(buffer, at + body.Length);
    }

    /// <summary>Content-to-sign in a buffer from the shared pool; returned (and cleared) on dispose.</summary>
    public readonly struct Pooled(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
    }
}
