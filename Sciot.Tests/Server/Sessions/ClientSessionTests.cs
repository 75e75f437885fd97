using System.Text.Json;
using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;
using static Sciot.Tests.Server.Sessions.SmallSession;

namespace Sciot.Tests.Server.Sessions;

/// <summary>Every intent of the session aggregate and the rules it keeps, on a three-layer model whose costs fix k.</summary>
public sealed class ClientSessionTests
{
    private static readonly ModelCosts Other = new("other", [0.001, 0.001], [10, 10]);

    private uint _uploads;

    /// <summary>A result of every layer, each upload a new one (its own key).</summary>
    private ResultObservation FullRun(double layer0 = 1, string model = "small") =>
        new(new ResultKey(++_uploads, 0), model, 2, [layer0, 1, 1], TensorBytes: 500, UploadBytes: 1000, UploadSeconds: 1, DeviceMeasuresUpload: true, SentAtUnixSeconds: 0, ReceivedAtUnixSeconds: 0,
            BodyBytes: 600, At: T0.AddSeconds(5));

    [Fact]
    public void A_new_session_runs_every_layer_until_its_device_times_are_known()
    {
        var session = NewSession();

        var (decision, made) = session.Decide(Small, randomDraw: 0.5);

        Assert.True(made);
        Assert.Equal(-1, decision.Layer);
        Assert.Equal("device layer times not yet known: run every layer locally", decision.Reason);
        Assert.Null(decision.EstimatedSeconds);
        Assert.Equal(-1, session.Snapshot().CurrentSplit);
    }

    [Fact]
    public void A_result_updates_the_statistics_and_decides_the_next_cycle_from_them()
    {
        var session = NewSession();

        var applied = session.Apply(FullRun(), Small, randomDraw: 0.5);

        // 1000 bytes in 1 s = 1 KB/s; k=0 costs 1 s + 100 B / 1 KB/s + 2 ms edge = 1.102 s, k=1 costs 2 s + 1000 s.
        Assert.Equal(0, applied.Next.Layer);
        Assert.Equal([1.102, 1002.001, 1003], applied.Next.EstimatedSeconds!.Select(s => Math.Round(s, 6)));
        Assert.Equal(0.5, applied.TransferSeconds, 12);
        Assert.Equal(1, applied.InferenceCount);
        Assert.Equal(T0.AddSeconds(5), applied.LastSeen);
        Assert.Equal([1.0, 1.0, 1.0], applied.Statistics.DeviceSeconds.Select(s => s!.Value));
        Assert.Equal([1L, 1L, 1L], applied.Statistics.DeviceSamples);
        Assert.Equal(1000, applied.Statistics.BandwidthBytesPerSecond);
        Assert.Null(applied.RefreshTriggered);
    }

    [Fact]
    public void A_device_that_measures_its_uploads_but_has_none_yet_keeps_the_initial_bandwidth()
    {
        var session = NewSession();
        // Timestamps 0.5 s apart for a 600-byte body would say 1.2 KB/s; a v2 device's first result has no measurement.
        var first = FullRun() with { UploadBytes = null, UploadSeconds = null, SentAtUnixSeconds = 10, ReceivedAtUnixSeconds = 10.5 };

        var applied = session.Apply(first, Small, randomDraw: 0.5);

        Assert.Null(applied.Statistics.BandwidthBytesPerSecond);
        Assert.Equal(0, applied.TransferSeconds);
        // Costs at the initial 1 MB/s: k=0 is 1 s + 100 us + 2 ms edge, k=1 is 2 s + 1 s + 1 ms, k=2 is 3 s + 1 s.
        Assert.Equal([1.0021, 3.001, 4], applied.Next.EstimatedSeconds!.Select(s => Math.Round(s, 6)));
    }

    [Fact]
    public void A_device_that_reports_no_uploads_is_estimated_from_its_send_and_the_receive_time()
    {
        var session = NewSession();
        var v1 = FullRun() with { UploadBytes = null, UploadSeconds = null, DeviceMeasuresUpload = false, SentAtUnixSeconds = 10, ReceivedAtUnixSeconds = 10.5 };

        var applied = session.Apply(v1, Small, randomDraw: 0.5);

        Assert.Equal(1200, applied.Statistics.BandwidthBytesPerSecond);
    }

    [Fact]
    public void The_decision_a_result_made_is_served_once_then_a_new_one_is_made()
    {
        var session = NewSession();
        var applied = session.Apply(FullRun(), Small, 0.5);

        var first = session.Decide(Small, 0.5);
        var second = session.Decide(Small, 0.5);

        Assert.False(first.Made);
        Assert.Same(applied.Next, first.Decision);
        Assert.True(second.Made);
        Assert.Equal(0, second.Decision.Layer);
        Assert.Equal(0, session.Snapshot().CurrentSplit);
    }

    [Fact]
    public void Device_time_averages_follow_the_configured_alpha()
    {
        var session = NewSession();
        session.Apply(FullRun(layer0: 1), Small, 0.5);

        var applied = session.Apply(FullRun(layer0: 3), Small, 0.5);

        Assert.Equal(2.0, applied.Statistics.DeviceSeconds[0]);
        Assert.Equal(2L, applied.Statistics.DeviceSamples[0]);
    }

    [Fact]
    public void A_model_change_drops_statistics_forced_layer_and_pending_decision()
    {
        var session = NewSession();
        session.Apply(FullRun(), Small, 0.5);
        session.ForceLayer(1);

        var changed = session.Assign("other", 2);

        Assert.True(changed);
        var snapshot = session.Snapshot();
        Assert.Equal("other", snapshot.ModelName);
        Assert.Equal([null, null], snapshot.Statistics.DeviceSeconds);
        Assert.Equal([0L, 0L], snapshot.Statistics.DeviceSamples);
        Assert.Null(snapshot.Statistics.BandwidthBytesPerSecond);
        Assert.Null(snapshot.ForcedLayer);
        Assert.Equal(-1, snapshot.CurrentSplit);
        var (decision, made) = session.Decide(Other, 0.5);
        Assert.True(made);
        Assert.Equal(("other", -1), (decision.ModelName, decision.Layer));
    }

    [Fact]
    public void Assigning_the_same_model_keeps_the_statistics()
    {
        var session = NewSession();
        session.Apply(FullRun(), Small, 0.5);

        Assert.False(session.Assign("small", 3));
        Assert.Equal([1L, 1L, 1L], session.Snapshot().Statistics.DeviceSamples);
    }

    [Fact]
    public void A_result_for_the_model_the_client_no_longer_has_is_a_conflict_and_changes_nothing()
    {
        var session = NewSession();
        session.Assign("other", 2);

        var e = Assert.Throws<RequestRejectedException>(() => session.Apply(FullRun(model: "small"), Other, 0.5));

        Assert.Equal(RejectionKind.Conflict, e.Kind);
        Assert.Equal(0, session.Snapshot().InferenceCount);
        Assert.Equal([0L, 0L], session.Snapshot().Statistics.DeviceSamples);
    }

    [Fact]
    public void A_forced_layer_wins_until_released_and_must_exist()
    {
        var session = NewSession();
        session.Apply(FullRun(), Small, 0.5);

        session.ForceLayer(2);
        var forced = session.Decide(Small, 0.5);
        var e = Assert.Throws<RequestRejectedException>(() => session.ForceLayer(3));
        session.ForceLayer(null);
        var released = session.Decide(Small, 0.5);

        Assert.Equal((2, "forced by operator", true), (forced.Decision.Layer, forced.Decision.Reason, forced.Made));
        Assert.Equal((RejectionKind.Invalid, "layer"), (e.Kind, e.Field));
        Assert.Equal(0, released.Decision.Layer);
    }

    [Fact]
    public void A_refresh_stays_pending_until_a_result_covers_every_layer()
    {
        var session = NewSession();
        session.Apply(FullRun(), Small, 0.5);
        session.RequestRefresh("refresh requested by operator");

        var partial = session.Apply(FullRun() with { Layer = 0, LayerSeconds = [1] }, Small, 0.5);
        var full = session.Apply(FullRun(), Small, 0.5);

        Assert.Equal((-1, "local-inference refresh: refresh requested by operator"), (partial.Next.Layer, partial.Next.Reason));
        Assert.Equal(0, full.Next.Layer);
        Assert.False(session.Snapshot().RefreshPending);
    }

    [Fact]
    public void Resetting_statistics_forgets_them_and_asks_for_a_refresh()
    {
        var session = NewSession();
        session.Apply(FullRun(), Small, 0.5);

        session.ResetStatistics("statistics reset by operator");

        var snapshot = session.Snapshot();
        Assert.Equal([null, null, null], snapshot.Statistics.DeviceSeconds);
        Assert.True(snapshot.RefreshPending);
        Assert.Equal("statistics reset by operator", snapshot.RefreshReason);
        Assert.Equal(1, snapshot.InferenceCount);
    }

    [Fact]
    public void Unstable_device_times_schedule_one_refresh_and_restart_the_window()
    {
        var session = NewSession();
        session.Apply(FullRun(layer0: 1), Small, 0.5);
        session.Apply(FullRun(layer0: 1), Small, 0.5);

        // Window of 3 on layer 0: 1, 1, 2 has a coefficient of variation of 0.43 > 0.1; layer 1 is flagged with it.
        var noisy = session.Apply(FullRun(layer0: 2), Small, 0.5);
        var after = session.Snapshot();

        Assert.Equal("device time variance above threshold at layers 0,1", noisy.RefreshTriggered);
        Assert.Equal(-1, noisy.Next.Layer);
        Assert.True(after.RefreshPending);
        Assert.Equal([0.0, 0.0, 0.0], after.DeviceTimeVariation);
    }

    [Fact]
    public void The_local_inference_probability_turns_a_draw_below_it_into_a_refresh()
    {
        var session = ClientSession.New("device_01", "small", 3, T0, Settings with { LocalInferenceProbability = 0.25 });
        var applied = session.Apply(FullRun(), Small, randomDraw: 0.9);
        session.Decide(Small, randomDraw: 0.1); // serves the decision the result made with 0.9

        var (below, _) = session.Decide(Small, randomDraw: 0.2);
        var (above, _) = session.Decide(Small, randomDraw: 0.3);

        Assert.Equal(0, applied.Next.Layer);
        Assert.Equal((-1, "periodic local-inference refresh"), (below.Layer, below.Reason));
        Assert.Equal(0, above.Layer);
    }

    [Fact]
    public void A_restored_session_has_the_stored_assignment_and_statistics()
    {
        var session = NewSession();
        session.Apply(FullRun(layer0: 4), Small, 0.5);
        var stored = session.Snapshot();

        var restored = ClientSession.Restore(stored.ClientId, stored.ModelName, 3, stored.Capabilities, "10.0.0.7", stored.RegisteredAt, stored.LastSeen,
            stored.InferenceCount, stored.Statistics, Settings).Snapshot();

        Assert.Equal(stored.Statistics.DeviceSeconds, restored.Statistics.DeviceSeconds);
        Assert.Equal(stored.Statistics.DeviceSamples, restored.Statistics.DeviceSamples);
        Assert.Equal(1000, restored.Statistics.BandwidthBytesPerSecond);
        Assert.Equal((1L, T0.AddSeconds(5), "10.0.0.7"), (restored.InferenceCount, restored.LastSeen, restored.RemoteAddress));
    }

    [Fact]
    public void A_frame_is_kept_as_the_latest_and_counted()
    {
        var session = NewSession();
        byte[] frame = [1, 2, 3];

        session.RecordFrame([9], T0.AddSeconds(1));
        session.RecordFrame(frame, T0.AddSeconds(2));

        Assert.Same(frame, session.LatestFrame());
        var snapshot = session.Snapshot();
        Assert.Equal((2L, T0.AddSeconds(2), T0.AddSeconds(2)), (snapshot.FramesReceived, snapshot.LatestFrameAt, snapshot.LastSeen));
    }

    [Fact]
    public void A_model_switch_drops_the_latest_frame_which_was_taken_for_the_old_models_input()
    {
        var session = NewSession();
        session.RecordFrame([1, 2, 3], T0.AddSeconds(1));

        session.Assign("other", 2);

        Assert.Null(session.LatestFrame());
        var snapshot = session.Snapshot();
        // The count of frames received stays: it counts uploads, not what is shown.
        Assert.Equal((1L, (DateTimeOffset?)null), (snapshot.FramesReceived, snapshot.LatestFrameAt));
    }

    [Fact]
    public void A_retried_upload_gets_the_stored_reply_and_is_not_applied_twice()
    {
        var session = NewSession();
        var upload = FullRun();
        Assert.Null(session.Replay(upload.Key));
        session.Apply(upload, Small, 0.5);
        var inFlight = Assert.Throws<RequestRejectedException>(() => session.Replay(upload.Key));
        var reply = new Sciot.Core.Protocol.Json.InferenceResultResponse
        {
            Message = "Success", ClientId = "device_01", MessageId = 1, ModelName = "small", OffloadingLayerIndex = 2,
            Prediction = new() { Kind = "fomo" }, EdgeSeconds = 0, DeviceSeconds = 3, NextOffloadingLayer = 0,
        };

        session.Acknowledge(upload.Key, reply);

        Assert.Equal(RejectionKind.Conflict, inFlight.Kind);
        Assert.Same(reply, session.Replay(upload.Key));
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<RequestRejectedException>(() => session.Apply(upload, Small, 0.5)).Kind);
        Assert.Equal(1, session.Snapshot().InferenceCount);
        // Same message id, other contents: firmware that repeats ids is not mistaken for a retry.
        Assert.Null(session.Replay(upload.Key with { BodyHash = 7 }));
    }

    [Fact]
    public void The_retry_of_an_upload_whose_record_failed_to_store_is_processed_again_but_counted_once()
    {
        var session = NewSession();
        var upload = FullRun();
        var first = session.Apply(upload, Small, 0.5);

        session.Forget(upload.Key);
        Assert.Null(session.Replay(upload.Key));
        var retry = session.Apply(upload, Small, 0.5);

        // The session learnt from the upload once: one inference, one sample per layer, the same next decision.
        var snapshot = session.Snapshot();
        Assert.Equal(1, snapshot.InferenceCount);
        Assert.Equal([1L, 1L, 1L], snapshot.Statistics.DeviceSamples);
        Assert.Equal(first.Next, retry.Next);
        Assert.Equal(1, retry.InferenceCount);
        // Until this retry is stored too, a third copy is a conflict like any upload in progress.
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<RequestRejectedException>(() => session.Replay(upload.Key)).Kind);
    }

    [Fact]
    public void Only_the_last_uploads_are_remembered()
    {
        var session = NewSession();
        var upload = FullRun();
        session.Apply(upload, Small, 0.5);

        for (uint id = 2; id < 2 + ClientSession.RememberedResults; id++)
        {
            session.Apply(upload with { Key = new ResultKey(id, 0) }, Small, 0.5);
        }

        Assert.Null(session.Replay(upload.Key));
        Assert.Equal(1 + ClientSession.RememberedResults, session.Snapshot().InferenceCount);
    }

    [Fact]
    public void A_returning_registration_keeps_known_capabilities_when_it_sends_none()
    {
        var session = NewSession();
        session.Register(new() { DeviceClass = "esp32-s3" }, "10.0.0.1", T0.AddSeconds(1));

        session.Register(null, "10.0.0.2", T0.AddSeconds(2));

        var snapshot = session.Snapshot();
        Assert.Equal(("esp32-s3", "10.0.0.2", T0.AddSeconds(2)), (snapshot.Capabilities?.DeviceClass, snapshot.RemoteAddress, snapshot.LastSeen));
    }

    [Fact]
    public void Reported_quality_sums_into_a_running_total_and_a_window_of_the_latest_results()
    {
        var session = ClientSession.New("device_01", "small", 3, T0, Settings with { QualityWindow = 2 });

        session.Apply(FullRun() with { Quality = new DetectionMatchResult(2, 0, 0) }, Small, 0.5);
        session.Apply(FullRun() with { Quality = new DetectionMatchResult(1, 1, 0) }, Small, 0.5);
        session.Apply(FullRun(), Small, 0.5);
        var applied = session.Apply(FullRun() with { Quality = new DetectionMatchResult(0, 0, 3) }, Small, 0.5);

        // A result without quality (none known for its previous prediction) is not an evaluated frame.
        Assert.Equal(new DetectionQuality(3, 3, 1, 3), applied.Statistics.Quality);
        var snapshot = session.Snapshot();
        Assert.Equal(new DetectionQuality(3, 3, 1, 3), snapshot.Statistics.Quality);
        Assert.Equal(new DetectionQuality(2, 1, 1, 3), snapshot.RecentQuality);
        Assert.Equal(0.5, snapshot.RecentQuality.Precision);
        Assert.Equal(0.25, snapshot.RecentQuality.Recall);
        Assert.Equal(2, snapshot.QualityWindow);
    }

    [Fact]
    public void Without_reported_quality_there_is_none()
    {
        var session = NewSession();

        session.Apply(FullRun(), Small, 0.5);

        Assert.Null(session.Snapshot().Statistics.Quality);
        Assert.Equal(0, session.Snapshot().RecentQuality.Frames);
    }

    [Fact]
    public void A_model_change_drops_the_quality_of_the_old_model()
    {
        var session = NewSession();
        session.Apply(FullRun() with { Quality = new DetectionMatchResult(1, 2, 3) }, Small, 0.5);

        session.Assign("other", 2);

        Assert.Null(session.Snapshot().Statistics.Quality);
        Assert.Equal(DetectionQuality.None, session.Snapshot().RecentQuality);
    }

    [Fact]
    public void The_quality_total_is_stored_with_the_statistics_and_comes_back_the_window_starts_empty()
    {
        var session = NewSession();
        session.Apply(FullRun() with { Quality = new DetectionMatchResult(4, 1, 2) }, Small, 0.5);
        var stored = session.Snapshot().Statistics.ToJson();

        var restored = ClientSession.Restore("device_01", "small", 3, null, null, T0, T0, 1,
            JsonSerializer.Deserialize<ClientStatistics>(stored, SciotJson.Options), Settings);
        restored.Apply(FullRun() with { Quality = new DetectionMatchResult(1, 0, 0) }, Small, 0.5);

        Assert.Equal(new DetectionQuality(2, 5, 1, 2), restored.Snapshot().Statistics.Quality);
        Assert.Equal(new DetectionQuality(1, 1, 0, 0), restored.Snapshot().RecentQuality);
    }
}
