using Microsoft.AspNetCore.Http;

namespace Terminal.Gateway.Api;

/// <summary>Reads request bodies with a size limit, for every endpoint that takes bytes from outside.</summary>
public static class RequestBodies
{
    /// <summary>
    /// Reads the body up to <paramref name="limit"/> bytes; null if it is longer (by Content-Length or, for a chunked
    /// body, as soon as the limit is passed: the rest is never read). Kestrel's own limit ends in
    /// BadHttpRequestException, which is the same "too large" and is not an error of the gateway.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is long n ? (int)n : 1024);
        byte[] chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
