using System.Globalization;

namespace Sciot.Client.Scenarios;

/// <summary>One inference of a scenario run: a row of the scenario's CSV.</summary>
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
    double? Precision,
    double? Recall,
    double LinkBandwidthBytesPerSecond)
{
    public const string Header =
        "time_s,client_id,model,split,device_s,transfer_s,edge_s,end_to_end_s,bytes,detections,precision,recall,link_bandwidth_bytes_per_s";

    public string ToCsv() => string.Join(',',
        F(TimeSeconds), ClientId, Model, Split.ToString(CultureInfo.InvariantCulture), F(DeviceSeconds), F(TransferSeconds), F(EdgeSeconds),
        F(EndToEndSeconds), Bytes.ToString(CultureInfo.InvariantCulture), Detections.ToString(CultureInfo.InvariantCulture),
        Precision is { } p ? F(p) : "", Recall is { } r ? F(r) : "", F(LinkBandwidthBytesPerSecond));

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
