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
        try
        {
            // The usual case: a declared length, read straight into an array of that size (no growing buffer, no copy).
            if (request.ContentLength is long declared) return await ReadDeclaredAsync(request.Body, (int)declared, ct).ConfigureAwait(false);
            return await ReadChunkedAsync(request.Body, limit, ct).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    /// <summary>Kestrel ends the body at Content-Length (and fails a connection that closes before); should a stream
    /// end early anyway, what came is returned, as from a chunked body.</summary>
    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, CancellationToken ct)
    {
        byte[] bytes = length == 0 ? [] : new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = await body.ReadAsync(bytes.AsMemory(filled), ct).ConfigureAwait(false);
            if (read == 0) return bytes[..filled];
            filled += read;
        }
        return bytes;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream(1024);
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }
}
