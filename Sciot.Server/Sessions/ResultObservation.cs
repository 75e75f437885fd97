using Sciot.Core.Imaging;

namespace Sciot.Server.Sessions;

/// <summary>
/// What one accepted device result tells the session: the model it was computed with, the cut, each device layer's
/// seconds, and how the upload went (its key tells a retry from a new upload). A v2 device measures its own uploads
/// (<see cref="DeviceMeasuresUpload"/>) and reports the previous one, so its first result carries none; the server then
/// keeps its initial bandwidth rather than guessing from two clocks. A v1 device reports nothing, so its send timestamp
/// against the server's receive time is the only estimate there is. <see cref="Quality"/>: how the server's prediction
/// for the device's previous result scored against that frame's ground truth (v2, synthetic frames only).
/// </summary>
public sealed record ResultObservation(
    ResultKey Key,
    string ModelName,
    int Layer,
    IReadOnlyList<double> LayerSeconds,
    long TensorBytes,
    long? UploadBytes,
    double? UploadSeconds,
    bool DeviceMeasuresUpload,
    double SentAtUnixSeconds,
    double ReceivedAtUnixSeconds,
    long BodyBytes,
    DateTimeOffset At,
    DetectionMatchResult? Quality = null);
