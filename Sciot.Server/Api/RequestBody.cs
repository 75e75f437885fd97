using System.Buffers;
using System.Text.Json;
using Sciot.Core.Protocol.Json;

namespace Sciot.Server.Api;

/// <summary>Reads request bodies within the configured limit, so an oversize upload is a 413 with an explanation, not a crash.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }
        if (request.ContentLength is { } length)
        {
            // The usual case: read straight into an array of the announced size instead of growing a stream and
            // copying it out (result bodies are 20-500 KB, each copy a large-object-heap allocation).
            var body = new byte[length];
            var filled = 0;
            int n;
            while (filled < length && (n = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += n;
            }
            return filled == length ? body : body[..filled];
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(buffer.Length + read, maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Like <see cref="ReadBytesAsync"/>, into a pooled array the caller disposes once it no longer needs the body.
    /// A body without Content-Length (chunked) is rare for devices and read the ordinary way, then copied once.
    /// </summary>
    public static async Task<PooledBody> ReadPooledAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not { } length || length > maxBytes)
        {
            var bytes = await ReadBytesAsync(request, maxBytes, cancellationToken);
            var copy = ArrayPool<byte>.Shared.Rent(bytes.Length);
            bytes.CopyTo(copy, 0);
            return new PooledBody(copy, bytes.Length);
        }
        var array = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var filled = 0;
            int n;
            while (filled < length && (n = await request.Body.ReadAsync(array.AsMemory(filled, (int)length - filled), cancellationToken)) > 0)
            {
                filled += n;
            }
            return new PooledBody(array, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    /// <summary>JSON bodies (registration, operator requests) are a few hundred bytes; 64 KiB leaves room for capabilities.</summary>
    public const long MaxJsonBytes = 64 * 1024;

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        var bytes = await ReadBytesAsync(request, MaxJsonBytes, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, SciotJson.Options)
                   ?? throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid JSON", "the body is JSON null; an object is expected");
        }
        catch (JsonException e)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid JSON", $"the body is not valid JSON for this endpoint: {e.Message}", e.Path);
        }
    }

    private static ApiProblemException TooLarge(long bytes, long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "Body too large", $"the body has {bytes} bytes or more; at most {max} are accepted here");
}
