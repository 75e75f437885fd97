using System.IO.Hashing;

namespace Sciot.Server.Sessions;

/// <summary>
/// Identifies one result upload: the device's message id and a hash of the exact body. A retried request carries
/// both unchanged; firmware that repeats a message id with other contents is not mistaken for a retry. The hash is
/// stable across processes, so any server replica recognises a retry.
/// </summary>
public readonly record struct ResultKey(uint MessageId, ulong BodyHash)
{
    public static ResultKey Of(uint messageId, ReadOnlySpan<byte> body) => new(messageId, XxHash3.HashToUInt64(body));
}
