using System.Globalization;
using Sciot.Core.Imaging;

namespace Sciot.Client.Scenarios;

/// <summary>
/// One inference of a scenario run: a row of the scenario's CSV. <paramref name="Match"/> is the frame's detections
/// matched against its ground truth (null when the frame was not scored); the CSV carries its counts, so precision
/// and recall over many rows are pooled from them rather than averaged per frame.
/// </summary>
public sealed record InferenceRow(
    double TimeSeconds,
    string ClientId,
    string Model,
    int Split,
    double DeviceSeconds,
    double TransferSeconds,
    double EdgeSeconds,
    double EndToEndSeconds,
    long Bytes,
    int Detections,
    DetectionMatchResult? Match,
    double LinkBandwidthBytesPerSecond)
{
    public const string Header =
        "time_s,client_id,model,split,device_s,transfer_s,edge_s,end_to_end_s,bytes,detections,precision,recall," +
        "true_positives,false_positives,false_negatives,link_bandwidth_bytes_per_s";

    public string ToCsv() => string.Join(',',
        F(TimeSeconds), ClientId, Model, Split.ToString(CultureInfo.InvariantCulture), F(DeviceSeconds), F(TransferSeconds), F(EdgeSeconds),
        F(EndToEndSeconds), Bytes.ToString(CultureInfo.InvariantCulture), Detections.ToString(CultureInfo.InvariantCulture),
        Match is { } m ? F(m.Precision) : "", Match is { } r ? F(r.Recall) : "",
        Count(Match?.TruePositives), Count(Match?.FalsePositives), Count(Match?.FalseNegatives), F(LinkBandwidthBytesPerSecond));

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
