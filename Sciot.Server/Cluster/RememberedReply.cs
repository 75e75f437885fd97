using Sciot.Core.Protocol.Json;
using Sciot.Server.Sessions;

namespace Sciot.Server.Cluster;

/// <summary>An acknowledged upload's key and the reply it got, as a session grain stores it for retries after a fail-over.</summary>
public sealed class RememberedReply
{
    public uint MessageId { get; set; }
    public ulong BodyHash { get; set; }
    public InferenceResultResponse? Reply { get; set; }

    public ResultKey Key => new(MessageId, BodyHash);

    public static RememberedReply Of(ResultKey key, InferenceResultResponse reply) => new() { MessageId = key.MessageId, BodyHash = key.BodyHash, Reply = reply };
}
