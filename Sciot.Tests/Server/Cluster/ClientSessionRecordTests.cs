using System.Text.Json;
using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Cluster;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;
using static Sciot.Tests.Server.Sessions.SmallSession;

namespace Sciot.Tests.Server.Cluster;

/// <summary>What a session grain stores brings the session back as it was: assignment, statistics, operator settings.</summary>
public sealed class ClientSessionRecordTests
{
    private static ClientSession Learnt()
    {
        var session = NewSession();
        session.Register(new ClientCapabilities { DeviceClass = "esp32-s3", RamKb = 512 }, "10.0.0.7", T0);
        session.Apply(new ResultObservation(new ResultKey(1, 0), "small", 2, [2, 1, 1], TensorBytes: 500, UploadBytes: 1000, UploadSeconds: 1, DeviceMeasuresUpload: true,
            SentAtUnixSeconds: 0, ReceivedAtUnixSeconds: 0, BodyBytes: 600, At: T0.AddSeconds(5), Quality: new DetectionMatchResult(3, 1, 2)), Small, randomDraw: 0.5);
        return session;
    }

    /// <summary>Through JSON, as grain storage keeps it.</summary>
    private static ClientSession RoundTrip(ClientSession session) =>
        JsonSerializer.Deserialize<ClientSessionRecord>(JsonSerializer.Serialize(ClientSessionRecord.Of(session.Snapshot(), session.AcknowledgedReplies())))!.ToSession("device_01", 3, Settings);

    [Fact]
    public void Assignment_activity_and_statistics_come_back()
    {
        var restored = RoundTrip(Learnt()).Snapshot();

        Assert.Equal("small", restored.ModelName);
        Assert.Equal("esp32-s3", restored.Capabilities!.DeviceClass);
        Assert.Equal(512, restored.Capabilities.RamKb);
        Assert.Equal("10.0.0.7", restored.RemoteAddress);
        Assert.Equal(T0, restored.RegisteredAt);
        Assert.Equal(T0.AddSeconds(5), restored.LastSeen);
        Assert.Equal(1, restored.InferenceCount);
        Assert.Equal([2.0, 1.0, 1.0], restored.Statistics.DeviceSeconds.Select(s => s!.Value));
        Assert.Equal([1L, 1L, 1L], restored.Statistics.DeviceSamples);
        Assert.Equal(1000, restored.Statistics.BandwidthBytesPerSecond!.Value, 9);
        Assert.Equal(new DetectionQuality(1, 3, 1, 2), restored.Statistics.Quality);
        Assert.False(restored.RefreshPending);
        Assert.Null(restored.ForcedLayer);
    }

    [Fact]
    public void A_forced_layer_still_decides_after_a_fail_over()
    {
        var session = Learnt();
        session.ForceLayer(1);

        var (decision, _) = RoundTrip(session).Decide(Small, randomDraw: 0.5);

        Assert.Equal(1, decision.Layer);
        Assert.Equal("forced by operator", decision.Reason);
    }

    [Fact]
    public void A_pending_refresh_keeps_its_reason_after_a_fail_over()
    {
        var session = Learnt();
        session.RequestRefresh("refresh requested by operator");

        var restored = RoundTrip(session);
        var (decision, _) = restored.Decide(Small, randomDraw: 0.5);

        Assert.True(restored.Snapshot().RefreshPending);
        Assert.Equal(-1, decision.Layer);
        Assert.Equal("local-inference refresh: refresh requested by operator", decision.Reason);
    }

    [Fact]
    public void An_acknowledged_reply_answers_the_retry_after_a_fail_over_and_is_not_applied_again()
    {
        var session = Learnt();
        var reply = Reply(1, nextLayer: 2);
        session.Acknowledge(new ResultKey(1, 0), reply);

        var restored = RoundTrip(session);

        Assert.Equal(JsonSerializer.Serialize(reply), JsonSerializer.Serialize(restored.Replay(new ResultKey(1, 0))));
        var again = Assert.Throws<RequestRejectedException>(() => restored.Apply(Observation(1, T0.AddSeconds(6)), Small, randomDraw: 0.5));
        Assert.Equal(RejectionKind.Conflict, again.Kind);
        Assert.Equal(1, restored.Snapshot().InferenceCount);
        // The same message id with another body is another upload.
        Assert.Null(restored.Replay(new ResultKey(1, 99)));
    }

    [Fact]
    public void Only_the_last_remembered_replies_are_stored()
    {
        var session = Learnt();
        session.Acknowledge(new ResultKey(1, 0), Reply(1, nextLayer: 2));
        for (uint id = 2; id <= 10; id++)
        {
            session.Apply(Observation(id, T0.AddSeconds(5 + id)), Small, randomDraw: 0.5);
            session.Acknowledge(new ResultKey(id, 0), Reply(id, nextLayer: 2));
        }
        // The newest result is applied but not yet acknowledged: its record may not be stored, so it is not remembered.
        session.Apply(Observation(11, T0.AddSeconds(20)), Small, randomDraw: 0.5);

        var record = ClientSessionRecord.Of(session.Snapshot(), session.AcknowledgedReplies());
        var restored = RoundTrip(session);

        Assert.Equal([4u, 5u, 6u, 7u, 8u, 9u, 10u], record.Replies.Select(r => r.MessageId));
        Assert.Null(restored.Replay(new ResultKey(3, 0)));
        Assert.Equal(10u, restored.Replay(new ResultKey(10, 0))!.MessageId);
        Assert.Null(restored.Replay(new ResultKey(11, 0)));
    }

    private static ResultObservation Observation(uint messageId, DateTimeOffset at) =>
        new(new ResultKey(messageId, 0), "small", 2, [2, 1, 1], TensorBytes: 500, UploadBytes: 1000, UploadSeconds: 1, DeviceMeasuresUpload: true,
            SentAtUnixSeconds: 0, ReceivedAtUnixSeconds: 0, BodyBytes: 600, At: at);

    private static InferenceResultResponse Reply(uint messageId, int nextLayer) => new()
    {
        Message = "Success",
        ClientId = "device_01",
        MessageId = messageId,
        ModelName = "small",
        OffloadingLayerIndex = 2,
        Prediction = new PredictionSummary { Kind = "detection", Detections = [new DetectionDto("circle", 1, 0.25f, 0.5f, 0.9f, 3)] },
        EdgeSeconds = 0.004,
        DeviceSeconds = 4,
        NextOffloadingLayer = nextLayer,
    };
}
